#include "runtime/security.h"

#include <gtest/gtest.h>
#include <linux/filter.h>

#include <cstdlib>
#include <filesystem>

#include "sys/fs.h"

using namespace kouti;

namespace {

Seccomp profile(const std::string& errno_syscall) {
    Seccomp p;
    p.default_action = "SCMP_ACT_ALLOW";
    p.architectures = {"SCMP_ARCH_X86_64"};
    p.syscalls.push_back(SeccompRule{{errno_syscall}, "SCMP_ACT_ERRNO", 1, {}});
    return p;
}

std::string compiled(const Seccomp& p) {
    auto r = compile_seccomp(p);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::string();
}

struct CacheDir {
    std::string path;
    CacheDir() {
        char tmpl[] = "/tmp/kouti-seccomp-test.XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~CacheDir() { std::filesystem::remove_all(path); }
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const auto& e : std::filesystem::directory_iterator(path + "/cache")) out.push_back(e.path());
        return out;
    }
};

} // namespace

TEST(Seccomp, CompilesToWholeBpfInstructions) {
    auto prog = compile_seccomp(profile("mkdir"));
    ASSERT_TRUE(prog.ok()) << prog.error().message;
    EXPECT_GT(prog->size(), 0u);
    EXPECT_EQ(prog->size() % sizeof(sock_filter), 0u);
}

TEST(Seccomp, CacheReturnsTheCompiledProgramAndReusesIt) {
    CacheDir dir;
    auto first = seccomp_program(profile("mkdir"), dir.path + "/cache");
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(*first, compiled(profile("mkdir")));
    ASSERT_EQ(dir.files().size(), 1u);
    // Plant a different program under the same profile text: the cache must be what is read.
    std::string file = dir.files()[0];
    auto text_read = read_file(file);
    ASSERT_TRUE(text_read.ok());
    std::string text = *text_read;
    std::string planted = text.substr(0, text.size() - sizeof(sock_filter)) + std::string(sizeof(sock_filter), 'x');
    ASSERT_TRUE(write_file_atomic(file, planted).ok());
    auto second = seccomp_program(profile("mkdir"), dir.path + "/cache");
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->substr(second->size() - sizeof(sock_filter)), std::string(sizeof(sock_filter), 'x'));
}

TEST(Seccomp, CacheNeverServesAnotherProfilesProgram) {
    CacheDir dir;
    ASSERT_TRUE(seccomp_program(profile("mkdir"), dir.path + "/cache").ok());
    auto other = seccomp_program(profile("rmdir"), dir.path + "/cache");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(*other, compiled(profile("rmdir")));
    EXPECT_NE(*other, compiled(profile("mkdir")));
    EXPECT_EQ(dir.files().size(), 2u);
    // A file whose stored profile text differs (a hash collision, or tampering) is recompiled.
    for (const auto& f : dir.files()) ASSERT_TRUE(write_file_atomic(f, "not the profile\n12345678").ok());
    auto again = seccomp_program(profile("rmdir"), dir.path + "/cache");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, compiled(profile("rmdir")));
}

TEST(Seccomp, CacheTellsApartProfilesWhoseNamesRunTogether) {
    CacheDir dir;
    Seccomp joined = profile("mkdir rmdir"); // no such system call: ignored, as Docker does
    Seccomp apart = profile("mkdir");
    apart.syscalls[0].names.push_back("rmdir");
    auto first = seccomp_program(joined, dir.path + "/cache");
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto second = seccomp_program(apart, dir.path + "/cache");
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(*second, compiled(apart));
    EXPECT_NE(*second, *first);
}
