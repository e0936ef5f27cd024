import ConfideBench
import Foundation
import Testing

@Suite struct InParallelTests {
    /// Both halves run, each writes its own part of one buffer, and the work really runs on
    /// two threads; repeated, because the handed closure must be released before
    /// `withoutActuallyEscaping` checks it on every call, not just usually.
    @Test func bothClosuresRunOnTwoThreadsAndNeitherEscapes() {
        var seenOtherThread = false
        for round in 0..<300 {
            var values = [Int](repeating: 0, count: 1000)
            var firstThread: Thread?, secondThread: Thread?
            values.withUnsafeMutableBufferPointer { values in
                inParallel({
                    firstThread = Thread.current
                    for i in 0..<500 { values[i] = i + round }
                }, {
                    secondThread = Thread.current
                    for i in 500..<1000 { values[i] = i + round }
                })
            }
            #expect(values == (0..<1000).map { $0 + round })
            if let firstThread, let secondThread, firstThread != secondThread { seenOtherThread = true }
        }
        #expect(seenOtherThread)
    }
}
