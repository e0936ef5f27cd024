import Foundation

// Fuzzes confide's ingest (see IngestCheck and docs/input-format.md, "Fuzzing").
//
// Built with -DFUZZING and libFuzzer, this program is the fuzzer: libFuzzer mutates inputs and
// keeps any that crash. Built plainly, it replays the inputs given as files through the same
// check (`confide-fuzz FILE…`), exiting 1 on the first that is not handled, so a crash file can
// become a regression test.

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    if let failure = IngestCheck.failure(UnsafeBufferPointer(start: data, count: size)) {
        fatalError(failure)   // libFuzzer saves the input that got here
    }
    return 0
})
#else
let files = CommandLine.arguments.dropFirst()
guard !files.isEmpty else {
    FileHandle.standardError.write(Data("usage: confide-fuzz FILE…   (replays fuzz inputs through the ingest check)\n".utf8))
    exit(64)
}
for path in files {
    guard let bytes = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("confide-fuzz: cannot read \(path)\n".utf8))
        exit(66)
    }
    let failure = bytes.withUnsafeBytes { IngestCheck.failure($0.bindMemory(to: UInt8.self)) }
    if let failure {
        print("\(path): \(failure)")
        exit(1)
    }
}
print("\(files.count) input(s) handled")
#endif
