import Foundation

/// The store side stopped (it failed), so the parsing side must stop too.
struct BatchPipeCancelled: Error {}

/// Hands ``RecordBatch``es from the parsing thread to the thread that writes the store.
///
/// At most ``capacity`` batches wait in the pipe; the parser blocks when it is full. With one
/// batch being filled and one being stored, a load holds at most `capacity + 2` batches.
final class BatchPipe: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var queue: [RecordBatch] = []
    private var closed = false
    private var cancelled = false
    /// The most batches that wait in the pipe.
    let capacity: Int

    /// A pipe holding at most `capacity` waiting batches.
    init(capacity: Int = 1) {
        self.capacity = capacity
    }

    /// Adds `batch`, waiting while the pipe is full.
    ///
    /// - Throws: ``BatchPipeCancelled`` when the store side cancelled the load.
    func put(_ batch: RecordBatch) throws(BatchPipeCancelled) {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity, !cancelled { condition.wait() }
        if cancelled { throw BatchPipeCancelled() }
        queue.append(batch)
        condition.broadcast()
    }

    /// The next batch, waiting for one; nil once the parser closed the pipe and it is empty.
    func take() -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !closed { condition.wait() }
        if queue.isEmpty { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Called by the parser when it has put its last batch.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the store side when it fails: the parser's next ``put(_:)`` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
