#include "util/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace kouti {

struct Sha256::Ctx {
    EVP_MD_CTX* md = nullptr;
};

Sha256::Sha256() : m_ctx(std::make_unique<Ctx>()) {
    m_ctx->md = EVP_MD_CTX_new();
    if (!m_ctx->md || EVP_DigestInit_ex(m_ctx->md, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("sha256: cannot initialise OpenSSL digest");
}

Sha256::~Sha256() { EVP_MD_CTX_free(m_ctx->md); }

void Sha256::update(const void* data, size_t len) { EVP_DigestUpdate(m_ctx->md, data, len); }

std::string Sha256::hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(m_ctx->md, out, &n);
    static const char* digits = "0123456789abcdef";
    std::string s(n * 2, '0');
    for (unsigned i = 0; i < n; ++i) {
        s[2 * i] = digits[out[i] >> 4];
        s[2 * i + 1] = digits[out[i] & 15];
    }
    return s;
}

std::string Sha256::hex_of(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.hex();
}

bool is_hex64(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool is_digest(std::string_view s) { return s.substr(0, 7) == "sha256:" && is_hex64(s.substr(7)); }

} // namespace kouti
