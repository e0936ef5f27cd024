import Foundation

/// Runs `first` on a new thread and `second` on this one, and returns when both have finished.
/// The two must not touch the same variables (the benchmark's callers write disjoint ones, or
/// disjoint elements through buffer pointers).
public func inParallel(_ first: () -> Void, _ second: () -> Void) {
    withoutActuallyEscaping(first) { first in
        let work = HandedWork(first)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            work.run()
            finished.signal()
        }
        thread.start()
        second()
        finished.wait()
        // The thread object may outlive this call for a moment; it must not still hold the
        // non-escaping closure when `withoutActuallyEscaping` checks that it did not escape.
        work.release()
    }
}

/// A closure handed to another thread by ``inParallel(_:_:)``: run there once, then released
/// by the caller after it has waited for that run.
private final class HandedWork: @unchecked Sendable {
    // @unchecked: `body` is read by the other thread before it signals, and cleared by the
    // caller after it has waited for that signal.
    private var body: (() -> Void)?

    init(_ body: @escaping () -> Void) { self.body = body }

    func run() { body?() }

    func release() { body = nil }
}
