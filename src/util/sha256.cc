#include "util/sha256.h"

#include <dlfcn.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace kouti {
namespace {

// libcrypto is loaded the first time a digest is needed, not with every kouti command: most
// (run, ps, stop...) never hash anything, and loading it costs half a millisecond.
struct Crypto {
    EVP_MD_CTX* (*ctx_new)();
    void (*ctx_free)(EVP_MD_CTX*);
    const EVP_MD* (*sha256)();
    int (*init)(EVP_MD_CTX*, const EVP_MD*, ENGINE*);
    int (*update)(EVP_MD_CTX*, const void*, size_t);
    int (*final)(EVP_MD_CTX*, unsigned char*, unsigned int*);
};

const Crypto& crypto() {
    static const Crypto c = [] {
        void* h = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
        if (!h) throw std::runtime_error(std::string("sha256: cannot load libcrypto.so.3: ") + ::dlerror());
        auto sym = [h](const char* name) {
            void* p = ::dlsym(h, name);
            if (!p) throw std::runtime_error(std::string("sha256: libcrypto has no ") + name);
            return p;
        };
        Crypto c{};
        c.ctx_new = reinterpret_cast<decltype(c.ctx_new)>(sym("EVP_MD_CTX_new"));
        c.ctx_free = reinterpret_cast<decltype(c.ctx_free)>(sym("EVP_MD_CTX_free"));
        c.sha256 = reinterpret_cast<decltype(c.sha256)>(sym("EVP_sha256"));
        c.init = reinterpret_cast<decltype(c.init)>(sym("EVP_DigestInit_ex"));
        c.update = reinterpret_cast<decltype(c.update)>(sym("EVP_DigestUpdate"));
        c.final = reinterpret_cast<decltype(c.final)>(sym("EVP_DigestFinal_ex"));
        return c;
    }();
    return c;
}

} // namespace

struct Sha256::Ctx {
    EVP_MD_CTX* md = nullptr;
};

Sha256::Sha256() : m_ctx(std::make_unique<Ctx>()) {
    m_ctx->md = crypto().ctx_new();
    if (!m_ctx->md || crypto().init(m_ctx->md, crypto().sha256(), nullptr) != 1)
        throw std::runtime_error("sha256: cannot initialise OpenSSL digest");
}

Sha256::~Sha256() { crypto().ctx_free(m_ctx->md); }

void Sha256::update(const void* data, size_t len) { crypto().update(m_ctx->md, data, len); }

std::string Sha256::hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    crypto().final(m_ctx->md, out, &n);
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
