import ConfideIngest
import ConfideModel
import Crypto

/// The codes of case lists: `case-` and eight consonants in two groups (`case-kqtz-bmwd`), a
/// keyed pseudonym of the referral under a key derived from the practice key for this use
/// alone, so a code says nothing without the key and is unrelated to the referral's stored
/// pseudonym.
///
/// By default the period is part of what is keyed, so the same case has a different code in
/// every period and a supervisor cannot link periods; `[supervision] stable_case_codes`
/// leaves it out. Only consonants: a code cannot spell a word, match a postcode or a phone
/// number, or start a spreadsheet formula.
struct CaseCodes: Sendable {
    private let key: SymmetricKey
    /// Whether codes stay the same across periods.
    let stable: Bool

    static let alphabet = Array("bcdfghjkmnpqrstvwxz")

    /// Codes under the key derived from `practiceKey`.
    init(practiceKey: PracticeKey, stable: Bool) {
        key = SymmetricKey(data: Array(practiceKey.authenticationCode(for: Array("confide case codes v1".utf8)).utf8))
        self.stable = stable
    }

    /// The code of the referral with pseudonym `referral` in `period`.
    func code(referral: String, period: SupervisionPeriod) -> String {
        let scope = stable ? "stable" : period.description
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Array((scope + "|" + referral).utf8), using: key))
        var value = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var letters: [Character] = []
        for _ in 0..<8 {
            letters.append(Self.alphabet[Int(value % UInt64(Self.alphabet.count))])
            value /= UInt64(Self.alphabet.count)
        }
        return "case-" + String(letters[0..<4]) + "-" + String(letters[4..<8])
    }
}
