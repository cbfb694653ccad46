// Random container names, "adjective_surname" as Docker makes them, from kouti's own lists:
// adjectives of character and surnames of mathematicians, astronomers and engineers.
#include "engine/containers.h"
#include "sys/fs.h"

namespace kouti {
namespace {

constexpr const char* kAdjectives[] = {
    "agile",    "amber",    "ardent",   "brave",    "breezy",   "bright",   "calm",     "candid",   "careful",
    "cheerful", "clever",   "cosmic",   "crisp",    "curious",  "daring",   "deft",     "eager",    "earnest",
    "fearless", "fervent",  "festive",  "frank",    "gallant",  "gentle",   "glowing",  "graceful", "hardy",
    "hopeful",  "humble",   "jolly",    "keen",     "kind",     "lively",   "lucid",    "merry",    "mellow",
    "modest",   "nimble",   "noble",    "patient",  "plucky",   "polite",   "proud",    "quiet",    "radiant",
    "rapid",    "serene",   "sharp",    "sincere",  "spirited", "steady",   "sturdy",   "sunny",    "swift",
    "tender",   "thrifty",  "tidy",     "upbeat",   "valiant",  "vivid",    "warm",     "witty",    "zealous",
};

constexpr const char* kSurnames[] = {
    "abel",      "agnesi",    "alhazen",   "archimedes", "babbage",   "banach",    "bernoulli", "bessel",
    "boole",     "brahe",     "cantor",    "cardano",    "carnot",    "cauchy",    "chebyshev", "copernicus",
    "dedekind",  "descartes", "diophantus", "dirichlet", "eratosthenes", "euclid", "euler",     "faraday",
    "fermat",    "fibonacci", "fourier",   "fresnel",    "galois",    "gauss",     "germain",   "gibbs",
    "godel",     "hamilton",  "heaviside", "hilbert",    "hipparchus", "huygens",  "hypatia",   "jacobi",
    "kepler",    "khayyam",   "klein",     "kolmogorov", "kovalevskaya", "lagrange", "laplace", "legendre",
    "leibniz",   "lovelace",  "lyapunov",  "markov",     "maxwell",   "mobius",    "napier",    "noether",
    "ohm",       "pascal",    "pell",      "poincare",   "ptolemy",   "pythagoras", "ramanujan", "riemann",
    "shannon",   "somerville", "stokes",   "tesla",      "thales",    "turing",    "venn",      "volta",
    "wallis",    "weierstrass", "wiles",   "zeno",
};

size_t pick(size_t n) { return static_cast<size_t>(std::stoull(random_hex(4), nullptr, 16) % n); }

} // namespace

Result<std::string> random_container_name(Db& db) {
    constexpr size_t na = sizeof kAdjectives / sizeof *kAdjectives, ns = sizeof kSurnames / sizeof *kSurnames;
    for (int attempt = 0; attempt < 20; ++attempt) {
        std::string name = std::string(kAdjectives[pick(na)]) + "_" + kSurnames[pick(ns)];
        // As Docker does after a collision: a digit makes the name unique again.
        if (attempt >= 5) name += std::to_string(pick(10));
        if (!TRY(container_name_taken(db, name))) return name;
    }
    return Error::conflict("could not find a free random container name");
}

} // namespace kouti
