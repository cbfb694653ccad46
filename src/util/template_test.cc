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
    // Go's words, with the template's name and the line.
    EXPECT_EQ(Template::parse("{{.A").error().message, "template: :1: unclosed action");
    EXPECT_EQ(Template::parse("a\n{{nosuchfunc .A}}", "log-tag").error().message, "template: log-tag:2: function \"nosuchfunc\" not defined");
}

TEST(Template, MissingFieldsFailAsGoFailsOnDockersTypes) {
    Json d = {{"Name", "/web"}, {"State", {{"Pid", 42}, {"Health", nullptr}}}, {"Binds", nullptr}};
    auto fail = [&](const std::string& text, MissingField missing, const std::string& name = "") {
        TemplateOptions o;
        o.missing = missing;
        o.go_type = "*formatter.ContainerContext";
        auto out = Template::parse(text, name).value().execute(d, o);
        return out.ok() ? "ok: " + *out : out.error().message;
    };
    // Inspect (missingkey=error on a map); the column is where Go's parser puts the field: a
    // chain's second part.
    EXPECT_EQ(fail("{{.Bogus}}", MissingField::MapError), "template: :1:2: executing \"\" at <.Bogus>: map has no entry for key \"Bogus\"");
    EXPECT_EQ(fail("x\n {{ .State.Bogus}}", MissingField::MapError),
              "template: :2:10: executing \"\" at <.State.Bogus>: map has no entry for key \"Bogus\"");
    EXPECT_EQ(fail("{{.Name.X}}", MissingField::MapError), "template: :1:7: executing \"\" at <.Name.X>: can't evaluate field X in type interface {}");
    EXPECT_EQ(fail("{{.State.Health.Status}}", MissingField::MapError),
              "template: :1:8: executing \"\" at <.State.Health.Status>: nil pointer evaluating interface {}.Status");
    // A formatter's struct.
    EXPECT_EQ(fail("{{.Bogus}}", MissingField::StructError, "log-tag"),
              "template: log-tag:1:2: executing \"log-tag\" at <.Bogus>: can't evaluate field Bogus in type *formatter.ContainerContext");
    EXPECT_EQ(fail("{{.Name.X}}", MissingField::StructError), "template: :1:7: executing \"\" at <.Name.X>: can't evaluate field X in type string");
    EXPECT_EQ(fail("{{.State.Pid}} {{.Binds}}", MissingField::StructError), "ok: 42 <nil>");
    EXPECT_EQ(fail("{{.Bogus}}", MissingField::NoValue), "ok: <no value>");
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

TEST(Template, MapsRangeAndPrintInKeyOrderAsGosDo) {
    Json data = Json::parse(R"({"Labels": {"tier": "web", "app": "x", "b": "2"}})");
    EXPECT_EQ(run("{{range .Labels}}{{.}},{{end}}", data), "x,2,web,");
    EXPECT_EQ(run("{{.Labels}}", data), "map[app:x b:2 tier:web]");
}
