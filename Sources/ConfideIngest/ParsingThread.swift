import Foundation

/// Reads, validates and pseudonymises one CSV file on a thread of its own, while the calling
/// thread writes the store: on two cores the two halves of a load overlap.
///
/// Batches travel through a ``BatchPipe`` that holds one waiting batch, so at most three
/// batches (one being parsed, one waiting, one being stored) are in memory at a time.
final class ParsingThread: @unchecked Sendable {
    // @unchecked: the reader, batcher and progress line are used only by the parsing thread
    // between `start` and the `finished` signal, and only by the caller after it.
    private let extract: CSVExtract
    private let progress: ProgressLine?
    private var batcher: RecordBatcher
    private var failure: Error?
    private let pipe = BatchPipe(capacity: 1)
    private let finished = DispatchSemaphore(value: 0)

    /// A parsing thread for `extract`, validating with `batcher`.
    init(extract: CSVExtract, progress: ProgressLine?, batcher: RecordBatcher) {
        self.extract = extract
        self.progress = progress
        self.batcher = batcher
    }

    /// Parses the file on a new thread and calls `store` with each batch on this one.
    /// Returns the counts of values outside a vocabulary.
    ///
    /// When `store` throws, parsing is stopped and waited for before the error is rethrown,
    /// so no thread outlives the call.
    func run(store: (RecordBatch) throws -> Void) throws -> [String: Int] {
        let thread = Thread { [self] in parse() }
        thread.name = "confide-parse"
        thread.start()
        do {
            while let batch = pipe.take() { try store(batch) }
        } catch {
            pipe.cancel()
            finished.wait()
            throw error
        }
        finished.wait()
        if let failure { throw failure }
        return batcher.parser.fields.outOfVocabulary
    }

    private func parse() {
        defer {
            pipe.close()
            finished.signal()
        }
        do {
            try extract.run(into: &batcher, progress: progress) { batch in try pipe.put(batch) }
        } catch is BatchPipeCancelled {
            return
        } catch {
            failure = error
        }
    }
}
