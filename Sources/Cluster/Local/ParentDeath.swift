// A local worker ends with the `aesweep sweep` that started it, however that ends.

import Foundation

#if os(Linux)
    import CProcessControl
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ties this process's life to its parent's: when the parent is gone, this process is killed.
public enum ParentDeath {
    /// Asks for SIGKILL when the parent goes, then checks that `parent` is still the parent: it may have
    /// ended before the request. Returns false when it is not (the caller should end at once).
    ///
    /// On Linux the kernel sends the signal (`prctl(PR_SET_PDEATHSIG)`), which works whatever ends the
    /// parent, SIGKILL included, but fires when the parent *thread* that started this process ends
    /// (`LocalWorkerFleet` starts its workers from a thread that never ends). Elsewhere a thread checks
    /// the parent twice a second.
    public static func follow(parent: Int32) -> Bool {
        #if os(Linux)
            if !requestSignalOnParentDeath(SIGKILL) { watch(parent) }
        #else
            watch(parent)
        #endif
        return getppid() == parent
    }

    #if os(Linux)
        /// `prctl(PR_SET_PDEATHSIG, signal)`, through the CProcessControl bridge.
        private static func requestSignalOnParentDeath(_ signal: Int32) -> Bool {
            aesweep_set_parent_death_signal(signal) == 0
        }
    #endif

    /// Ends the process once `parent` is no longer its parent.
    private static func watch(_ parent: Int32) {
        let thread = Thread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
            kill(getpid(), SIGKILL)
        }
        thread.name = "aesweep.parent-watch"
        thread.start()
    }
}
