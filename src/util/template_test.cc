#include "util/template.h"

#include <gtest/gtest.h>

using namespace kouti;

static std::string run(const std::string& t, const Json& data) {
    auto tmpl = Template::parse(t);
    EXPECT_TRUE(tmpl.ok()) << (tmpl.ok() ? "" : tmpl.error().message);
    if (!tmpl.ok()) return "";
    auto out = tmpl->execute(data);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    return out.ok() ? *out : "";
}

TEST(Template, FieldsFunctionsAndBlocks) {
    Json d = {{"State", {{"Pid", 42}, {"Running", true}}},
              {"Config", {{"Env", {"A=1", "B=2"}}, {"Labels", {{"k", "v"}}}, {"Cmd", nullptr}}},
              {"Name", "/web"}};
    EXPECT_EQ(run("{{.State.Pid}}", d), "42");
    EXPECT_EQ(run("{{.State.Running}}", d), "true");
    EXPECT_EQ(run("{{json .Config.Env}}", d), R"(["A=1","B=2"])");
    EXPECT_EQ(run("{{range .Config.Env}}[{{.}}]{{end}}", d), "[A=1][B=2]");
    EXPECT_EQ(run("{{index .Config.Labels \"k\"}}", d), "v");
    EXPECT_EQ(run("{{index .Config.Env 1}}", d), "B=2");
    EXPECT_EQ(run("{{join .Config.Env \",\"}}", d), "A=1,B=2");
    EXPECT_EQ(run("{{if .State.Running}}up{{else}}down{{end}}", d), "up");
    EXPECT_EQ(run("{{if .Config.Cmd}}cmd{{else}}none{{end}}", d), "none");
    EXPECT_EQ(run("{{with .State}}{{.Pid}}{{end}}", d), "42");
    EXPECT_EQ(run("{{.Name | upper}}", d), "/WEB");
    EXPECT_EQ(run("{{printf \"%s-%d\" .Name .State.Pid}}", d), "/web-42");
    EXPECT_EQ(run("{{len .Config.Env}}", d), "2");
    EXPECT_EQ(run("{{.Missing}}", d), "<no value>");
    EXPECT_EQ(run("{{if .State.Missing}}yes{{else}}no{{end}}", d), "no");
    EXPECT_EQ(run("{{json .State.Missing}}", d), "null");
    EXPECT_EQ(run("{{.Config.Labels}}", d), "map[k:v]");
    EXPECT_EQ(run("{{.Config.Env}}", d), "[A=1 B=2]");
    EXPECT_EQ(run("{{if eq .Name \"/web\"}}yes{{end}}", d), "yes");
    EXPECT_EQ(run("a {{- \" b \" -}} c", d), "a b c");
    EXPECT_EQ(run("{{(index .Config.Env 0) | lower}}", d), "a=1");
    // A field of a parenthesized pipeline, as in (index .NetworkSettings.Ports "80/tcp" 0).HostPort.
    Json ports = {{"Ports", {{"80/tcp", {{{"HostIp", "0.0.0.0"}, {"HostPort", "8080"}}}}}}};
    EXPECT_EQ(run("{{(index .Ports \"80/tcp\" 0).HostPort}}", ports), "8080");
    EXPECT_EQ(run("{{ (index .Ports \"80/tcp\" 0).HostIp }}:{{(index (index .Ports \"80/tcp\") 0).HostPort}}", ports), "0.0.0.0:8080");
}

TEST(Template, Errors) {
    EXPECT_FALSE(Template::parse("{{.A").ok());
    EXPECT_FALSE(Template::parse("{{range .A}}x").ok());
    EXPECT_FALSE(Template::parse("{{end}}").ok());
    auto t = Template::parse("{{nosuchfunc .A}}");
    ASSERT_TRUE(t.ok());
    EXPECT_FALSE(t->execute(Json::object()).ok());
}

TEST(Template, MethodsOfTheTopLevelValue) {
    TemplateMethods methods = {{"Label", [](const std::vector<Json>& args) -> Result<Json> {
                                    if (args.size() != 1) return Error::invalid("want 1");
                                    return Json("v-of-" + args[0].get<std::string>());
                                }}};
    auto t = Template::parse("{{.Label \"com.x\"}}|{{\"k\" | .Label}}|{{range .Items}}{{.}}{{end}}");
    ASSERT_TRUE(t.ok());
    Json d = {{"Items", {"a", "b"}}};
    auto out = t->execute(d, methods);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(*out, "v-of-com.x|v-of-k|ab");
    // Arity errors are the method's; without methods, an argument to a field is Go's error.
    EXPECT_FALSE(Template::parse("{{.Label}}")->execute(d, methods).ok());
    EXPECT_FALSE(Template::parse("{{.Label \"k\"}}")->execute(d).ok());
    // Only the top-level value has them: inside range, dot is an item.
    EXPECT_FALSE(Template::parse("{{range .Items}}{{.Label \"k\"}}{{end}}")->execute(d, methods).ok());
}

TEST(Template, TypedZeroesPrintAsGoPrintsNilSlicesMapsAndPointers) {
    TemplateZeroes zeroes = {{"Binds", "[]"}, {"Labels", "map[]"}, {"StopTimeout", "<nil>"}};
    Json data = {{"A", {{"Binds", nullptr}, {"Set", {"x"}}}}};
    auto t = Template::parse("{{.A.Binds}}|{{.A.Labels}}|{{.A.StopTimeout}}|{{json .A.Binds}}|{{.A.Other}}|{{.A.Set}}").value();
    EXPECT_EQ(t.execute(data, {}, &zeroes).value(), "[]|map[]|<nil>|null|<no value>|[x]");
    EXPECT_EQ(t.execute(data).value(), "<nil>|<no value>|<no value>|null|<no value>|[x]");
}
