// Process control the C library has but Swift cannot call: prctl is variadic, and <sys/prctl.h> is not
// part of Glibc's module. Linux only; empty elsewhere.
#ifdef __linux__
#include <sys/prctl.h>

/// prctl(PR_SET_PDEATHSIG, signal): the kernel sends `signal` to this process when the thread that created
/// it ends. Returns 0, or -1 with errno set.
static inline int aesweep_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}
#endif
