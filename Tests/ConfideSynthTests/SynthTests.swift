import ConfideModel
import ConfideSynth
import Foundation
import Testing

private func synth(clients: Int, seed: UInt64) throws -> (String, SynthSummary) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-synth-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let summary = try PracticeSynthesizer.write(to: path, options: SynthOptions(clients: clients, weeks: 104, seed: seed, lastDay: Day(iso: "2026-11-22")!))
    return (path, summary)
}

private func rows(_ path: String) throws -> [[Substring]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
}

@Suite struct SynthTests {
    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let (a, _) = try synth(clients: 300, seed: 4)
        let (b, _) = try synth(clients: 300, seed: 4)
        let (c, _) = try synth(clients: 300, seed: 5)
        for file in ["referrals.csv", "appointments.csv", "measures.csv"] {
            #expect(FileManager.default.contentsEqual(atPath: a + "/" + file, andPath: b + "/" + file))
        }
        #expect(!FileManager.default.contentsEqual(atPath: a + "/appointments.csv", andPath: c + "/appointments.csv"))
    }

    @Test func looksLikeAPractice() throws {
        let (path, summary) = try synth(clients: 3_000, seed: 1)
        #expect(summary.therapists == 30)
        #expect(summary.referrals >= 3_000 && summary.referrals < 3_600)
        let appointments = try rows(path + "/appointments.csv")
        #expect(appointments.count == summary.appointments)
        let attended = appointments.filter { $0[5] == "attended" || $0[5] == "attended_late" }.count
        let dna = appointments.filter { $0[5] == "dna" }.count
        let dnaRate = Double(dna) / Double(attended + dna)
        #expect(dnaRate > 0.07 && dnaRate < 0.14, "DNA rate \(dnaRate)")
        let referrals = try rows(path + "/referrals.csv")
        let ages = referrals.map { Day(iso: String($0[2]))!.age(bornOn: Day(iso: String($0[3]))!) }
        #expect(ages.min()! >= 16 && ages.max()! <= 90)
        #expect(Set(referrals.map { $0[1] }).count == 3_000)
        let lastDay = Day(iso: "2026-11-22")!
        #expect(appointments.allSatisfy { Day(iso: String($0[3]))! <= lastDay })
        let scores = try rows(path + "/measures.csv")
        #expect(scores.allSatisfy { row in
            guard let score = Int(row[3]), let instrument = Instrument(rawValue: String(row[2])) else { return false }
            return instrument.range.contains(score)
        })
    }
}
