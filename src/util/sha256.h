#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace kouti {

// Incremental SHA-256 over OpenSSL's EVP (SHA-NI accelerated where the CPU has it).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, size_t len);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::string hex(); // finishes the digest; 64 lower-case hex characters

    static std::string hex_of(std::string_view data);

private:
    struct Ctx;
    std::unique_ptr<Ctx> m_ctx;
};

// "sha256:<hex>" helpers.
inline std::string digest_of(std::string_view data) { return "sha256:" + Sha256::hex_of(data); }
bool is_hex64(std::string_view s);
bool is_digest(std::string_view s); // "sha256:" + 64 hex
inline std::string_view digest_hex(std::string_view d) {
    return d.substr(0, 7) == "sha256:" ? d.substr(7) : d;
}

} // namespace kouti
