#include "cli/output.h"

#include <gtest/gtest.h>

#include "cli/args.h"

using namespace kouti;

TEST(Tabwriter, DockerPadding) {
    EXPECT_EQ(tabwrite("REPOSITORY\tTAG\tIMAGE ID\nbusybox\tlatest\tabc\n"),
              "REPOSITORY   TAG       IMAGE ID\nbusybox      latest    abc\n");
    // Minimum width 10 (including the 3 of padding), the last column is never padded.
    EXPECT_EQ(tabwrite("a\tb\n"), "a         b\n");
    EXPECT_EQ(tabwrite("ünï\tx\n"), "ünï       x\n");
}

static const RowType kType{"*formatter.testContext"};

TEST(RenderRows, TableJsonAndPlain) {
    std::vector<Json> rows = {Json{{"A", "x"}, {"B", "yy"}, {"_hidden", 1}}};
    Json headers = {{"A", "COL A"}, {"B", "COL B"}};
    auto t = render_rows(rows, "", "{{.A}}\t{{.B}}", headers, kType);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(*t, "COL A     COL B\nx         yy\n");
    auto j = render_rows(rows, "json", "", headers, kType);
    EXPECT_EQ(*j, "{\"A\":\"x\",\"B\":\"yy\"}\n");
    auto p = render_rows(rows, "{{.B}}\\t{{.A}}", "", headers, kType);
    EXPECT_EQ(*p, "yy\tx\n");
    auto tt = render_rows(rows, "table {{.B}}", "", headers, kType);
    EXPECT_EQ(*tt, "COL B\nyy\n");
    // A field the formatter does not have is an error, even without rows, as in Docker.
    auto bad = render_rows({}, "{{.A}} {{.C}}", "", headers, kType);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message, "template parsing error: template: :1:9: executing \"\" at <.C>: can't evaluate field C in type *formatter.testContext");
    EXPECT_EQ(render_rows(rows, "{{.A", "", headers, kType).error().message, "template parsing error: template: :1: unclosed action");
}

TEST(RenderRows, LabelsColumnAndLabelMethod) {
    Json row = {{"Name", "v1"}};
    set_row_labels(row, Json{{"com.example.some-key", "x"}, {"b", "y"}});
    Json headers = {{"Name", "NAME"}, {"Labels", "LABELS"}};
    auto t = render_rows({row}, "table {{.Name}}\t{{.Label \"com.example.some-key\"}}\t{{.Label \"nope\"}}|", "", headers, kType);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t, "NAME      some key   nope|\nv1        x          |\n");
    auto l = render_rows({row}, "{{.Labels}}", "", headers, kType);
    EXPECT_EQ(*l, "com.example.some-key=x,b=y\n");
    auto j = render_rows({row}, "json", "", headers, kType);
    EXPECT_EQ(*j, "{\"Labels\":\"com.example.some-key=x,b=y\",\"Name\":\"v1\"}\n"); // sorted, as Go's maps
    EXPECT_FALSE(render_rows({row}, "{{.Label}}", "", headers, kType).ok());
}

TEST(Args, DockerFlagForms) {
    std::vector<FlagSpec> specs = {{"all", 'a', false, "", ""}, {"quiet", 'q', false, "", ""},
                                   {"filter", 'f', true, "", ""}, {"name", 0, true, "", ""}};
    auto a = parse_args(specs, {"-aq", "-f", "x=1", "--filter=y=2", "--name", "n", "pos", "-fz=3"}, false);
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(a->flag("all"));
    EXPECT_TRUE(a->flag("quiet"));
    EXPECT_EQ(a->values("filter"), (std::vector<std::string>{"x=1", "y=2", "z=3"}));
    EXPECT_EQ(a->value("name"), "n");
    EXPECT_EQ(a->positional, (std::vector<std::string>{"pos"}));

    auto b = parse_args(specs, {"-a=false", "img", "-q", "--", "x"}, true);
    ASSERT_TRUE(b.ok());
    EXPECT_FALSE(b->flag("all"));
    EXPECT_EQ(b->positional, (std::vector<std::string>{"img", "-q", "--", "x"}));

    auto c = parse_args(specs, {"--bogus"}, false);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().message, "unknown flag: --bogus");
    EXPECT_EQ(parse_args(specs, {"-x"}, false).error().message, "unknown shorthand flag: 'x' in -x");
    EXPECT_EQ(parse_args(specs, {"--name"}, false).error().message, "flag needs an argument: --name");
}

// Expected text: `docker run --help` (docker CLI 28.2.2) with stdin not a terminal.
TEST(FlagsHelp, PflagColumnsAndWrapping) {
    std::vector<FlagSpec> specs = {
        {"health-start-interval", 0, true, "duration", "Time between running the check during the start period (ms|s|m|h) (default 0s)"},
        {"add-host", 0, true, "list", "Add a custom host-to-IP mapping (host:ip)"},
        {"cgroupns", 0, true, "string",
         "Cgroup namespace to use (host|private)\n'host':    Run the container in the Docker host's cgroup namespace\n"
         "'private': Run the container in its own private cgroup namespace\n'':        Use the cgroup namespace as configured by "
         "the\n           default-cgroupns-mode option on the daemon (default)"},
        {"detach", 'd', false, "", "Run container in background and print container ID"},
        {"cpu-count", 0, true, "int", "CPU count (Windows only)", true},
    };
    std::string pad(41, ' ');
    EXPECT_EQ(flags_help(specs, 79),
              "      --add-host list                    Add a custom host-to-IP mapping\n" + pad + "(host:ip)\n" +
                  "      --cgroupns string                  Cgroup namespace to use\n" + pad + "(host|private)\n" + pad +
                  "'host':    Run the container in\n" + pad + "the Docker host's cgroup\n" + pad + "namespace\n" + pad +
                  "'private': Run the container in\n" + pad + "its own private cgroup namespace\n" + pad + "'':        Use the cgroup\n" +
                  pad + "namespace as configured by the\n" + pad + "           default-cgroupns-mode\n" + pad +
                  "option on the daemon (default)\n" +
                  "  -d, --detach                           Run container in background and\n" + pad + "print container ID\n" +
                  "      --health-start-interval duration   Time between running the check\n" + pad + "during the start period\n" +
                  pad + "(ms|s|m|h) (default 0s)\n");
    // Unwrapped; too narrow beside the flags (a block below them, from column 16); narrower still
    // (pflag's quirk: the text whole, its line breaks indented by 16).
    EXPECT_EQ(flags_help({specs[3]}, 0), "  -d, --detach   Run container in background and print container ID\n");
    std::string sixteen(16, ' ');
    EXPECT_EQ(wrap_usage(41, 60, "a\nb"), "\n" + sixteen + "a\n" + sixteen + "b");
    EXPECT_EQ(wrap_usage(41, 30, "a\nb"), "a\n" + sixteen + "b");
    EXPECT_EQ(wrap_usage(20, 70, "one two"), "one two");
}
