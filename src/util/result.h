#pragma once
// Result<T>: a value or an Error. g++ 12 has no std::expected, so this is the small subset we need.
#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace kouti {

enum class ErrorKind {
    Internal,        // a syscall or library failed
    Usage,           // bad flags or references: Docker exits 125 for these
    InvalidArgument, // bad input: archives, change lines, filters
    NotFound,        // no such image / container / file
    Conflict,        // the operation would break a relation (image in use, name taken)
    Corrupt,         // archive or store content is damaged
};

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    int err = 0; // errno, 0 when not from a syscall
    std::string message;
    int exit_status = 0; // the exit code Docker uses for it, when not the kind's (126, 127)

    static Error from_syscall(const std::string& what, int e = errno);
    static Error invalid(std::string msg) { return {ErrorKind::InvalidArgument, 0, std::move(msg)}; }
    static Error usage(std::string msg) { return {ErrorKind::Usage, 0, std::move(msg)}; }
    static Error not_found(std::string msg) { return {ErrorKind::NotFound, 0, std::move(msg)}; }
    static Error conflict(std::string msg) { return {ErrorKind::Conflict, 0, std::move(msg)}; }
    static Error corrupt(std::string msg) { return {ErrorKind::Corrupt, 0, std::move(msg)}; }
    static Error internal(std::string msg) { return {ErrorKind::Internal, 0, std::move(msg)}; }

    // Adds the caller's step in front: "import: " + "extract layer: " + "open x: no such file".
    Error context(const std::string& step) && {
        message = step + ": " + message;
        return std::move(*this);
    }
};

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    const T& value() const& { return std::get<0>(m_v); }
    T* operator->() { return &std::get<0>(m_v); }
    T& operator*() & { return std::get<0>(m_v); }
    Error& error() & { return std::get<1>(m_v); }
    Error&& error() && { return std::get<1>(std::move(m_v)); }
    const Error& error() const& { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok() { return Ok{}; }

} // namespace kouti

// TRY(expr): evaluates to the value of a Result, or returns its Error from the enclosing function.
#define TRY(expr)                                                                                  \
    ({                                                                                             \
        auto _try_r = (expr);                                                                      \
        if (!_try_r.ok()) return std::move(_try_r).error();                                        \
        std::move(_try_r).value();                                                                 \
    })

// TRY_CTX(expr, "step"): as TRY, adding context to the error.
#define TRY_CTX(expr, step)                                                                        \
    ({                                                                                             \
        auto _try_r = (expr);                                                                      \
        if (!_try_r.ok()) return std::move(_try_r).error().context(step);                          \
        std::move(_try_r).value();                                                                 \
    })
