#include "util/reference.h"

#include <gtest/gtest.h>

#include "util/sha256.h"

using namespace kouti;

TEST(Reference, NormalisesLikeDocker) {
    auto r = parse_reference("busybox");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->name(), "docker.io/library/busybox");
    EXPECT_EQ(r->familiar_name(), "busybox");
    EXPECT_EQ(r->tag, "");

    r = parse_reference_default_tag("busybox");
    EXPECT_EQ(r->familiar_string(), "busybox:latest");

    r = parse_reference("me/app:v1.2-rc_3");
    EXPECT_EQ(r->name(), "docker.io/me/app");
    EXPECT_EQ(r->tag, "v1.2-rc_3");
    EXPECT_EQ(r->familiar_string(), "me/app:v1.2-rc_3");

    r = parse_reference("localhost:5000/x/y:z");
    EXPECT_EQ(r->domain, "localhost:5000");
    EXPECT_EQ(r->path, "x/y");
    EXPECT_EQ(r->familiar_string(), "localhost:5000/x/y:z");

    r = parse_reference("localhost/app");
    EXPECT_EQ(r->domain, "localhost");

    r = parse_reference("index.docker.io/library/alpine:3");
    EXPECT_EQ(r->familiar_string(), "alpine:3");

    r = parse_reference("quay.io/a/b@sha256:" + std::string(64, 'a'));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->digest, "sha256:" + std::string(64, 'a'));

    EXPECT_TRUE(parse_reference("a__b/c.d-e---f").ok());
}

TEST(Reference, RejectsWithDockersMessages) {
    auto r = parse_reference("UPPER:case");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "invalid reference format: repository name (library/UPPER) must be lowercase");
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    for (const char* bad : {"a::b", "", ":tag", "a/", "/a", "a//b", "-a", "a_", "a:-tag", "a b", "a@sha256:xyz"}) {
        auto e = parse_reference(bad);
        ASSERT_FALSE(e.ok()) << bad;
        EXPECT_EQ(e.error().message, "invalid reference format") << bad;
    }
    EXPECT_FALSE(parse_reference("a:" + std::string(129, 't')).ok());
    EXPECT_TRUE(parse_reference("a:" + std::string(128, 't')).ok());
    EXPECT_FALSE(parse_reference(std::string(64, 'a')).ok());
    EXPECT_FALSE(parse_reference(std::string(250, 'a') + "/bbbbbbbb").ok());
}

TEST(Digest, Sha256) {
    EXPECT_EQ(Sha256::hex_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(digest_of("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256 h;
    h.update("a");
    h.update("bc");
    EXPECT_EQ(h.hex(), Sha256::hex_of("abc"));
    EXPECT_TRUE(is_digest("sha256:" + std::string(64, '0')));
    EXPECT_FALSE(is_digest("sha256:" + std::string(63, '0')));
    EXPECT_FALSE(is_digest("sha256:" + std::string(64, 'A')));
    EXPECT_EQ(digest_hex("sha256:abc"), "abc");
}
