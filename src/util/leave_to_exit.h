#pragma once
// Hands a value to the process's exit instead of to its destructor: for large data a command
// has finished with just before it returns, whose node-by-node destruction costs measurable
// time while the exit gives the whole heap back at once. Only for plain memory: nothing that
// holds a descriptor, a lock or unflushed output.
#include <type_traits>
#include <utility>

namespace kouti {

template <class T> void leave_to_exit(T&& value) {
    static_cast<void>(new std::decay_t<T>(std::forward<T>(value)));
}

} // namespace kouti
