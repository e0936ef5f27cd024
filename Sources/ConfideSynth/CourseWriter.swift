import ConfideModel

/// A therapist of the synthetic practice.
struct SynthTherapist {
    let id: String
    let modality: Modality
}

/// Generates one client's referrals, appointments and scores and writes them as CSV rows.
struct CourseWriter {
    private var rng: SeededGenerator
    private let options: SynthOptions
    private let firstDay: Day
    private let therapists: [SynthTherapist]
    private let therapistWeights: [Double]
    private let referrals: BufferedFile
    private let appointments: BufferedFile
    private let measures: BufferedFile
    private var nextAppointment = 1
    private var nextReferral = 1
    private(set) var summary: SynthSummary

    private static let genders = cumulative([62, 34, 2, 0.5, 1.5])
    private static let ethnicities = cumulative([8, 5, 4, 78, 2, 3])
    private static let sources = cumulative([45, 35, 8, 8, 4])
    private static let problems = cumulative([26, 20, 18, 7, 7, 6, 4, 3, 4, 3, 2])
    private static let modalities = cumulative([40, 25, 10, 8, 5, 10, 2])
    private static let deliveries = cumulative([50, 35, 15])
    private static let statuses = cumulative([80, 3, 1, 9, 5, 2])

    init(options: SynthOptions, referrals: BufferedFile, appointments: BufferedFile, measures: BufferedFile) {
        self.options = options
        self.referrals = referrals
        self.appointments = appointments
        self.measures = measures
        self.firstDay = options.lastDay.adding(days: -(options.weeks * 7) + 1)
        var rng = SeededGenerator(seed: options.seed)
        let count = options.therapists ?? min(40, max(6, options.clients / 100))
        var therapists: [SynthTherapist] = []
        var weights: [Double] = []
        for index in 1...count {
            let modality = Modality.allCases[rng.weighted(CourseWriter.modalities)]
            therapists.append(SynthTherapist(id: "T\(index < 10 ? "0" : "")\(index)", modality: modality))
            weights.append(0.5 + rng.unit())
        }
        self.rng = rng
        self.therapists = therapists
        self.therapistWeights = cumulative(weights)
        self.summary = SynthSummary(therapists: count, firstDay: firstDay, lastDay: options.lastDay)
    }

    mutating func writeClient(_ client: Int) {
        let clientID = "C\(client + 1)"
        let span = options.weeks * 7
        var received = firstDay.adding(days: Int(rng.unit() * Double(span)))
        let birth = received.adding(days: -Int((rng.normal(mean: 37, sd: 14).clamped(16.2, 90.8)) * 365.25))
        let gender = Gender.allCases[rng.weighted(CourseWriter.genders)]
        let ethnicity = Ethnicity.allCases[rng.weighted(CourseWriter.ethnicities)]
        let postcode = "LS\(1 + Int(rng.unit() * 28)) \(Int(rng.unit() * 10))\(letter())\(letter())"
        var referralsLeft = rng.chance(0.08) ? 2 : 1
        while referralsLeft > 0, received <= options.lastDay {
            referralsLeft -= 1
            let ended = writeReferral(clientID: clientID, received: received, birth: birth,
                                      gender: gender, ethnicity: ethnicity, postcode: postcode)
            guard let ended else { break }
            received = ended.adding(days: 60 + Int(rng.exponential(mean: 120)))
        }
    }

    private mutating func letter() -> Character {
        let letters = Array("ABDEFGHJLNPQRSTUWXYZ")
        return letters[Int(rng.unit() * Double(letters.count))]
    }

    /// Writes one referral and its course; returns its end day when it ended within the data.
    private mutating func writeReferral(clientID: String, received: Day, birth: Day, gender: Gender,
                                        ethnicity: Ethnicity, postcode: String) -> Day? {
        let referralID = "R\(nextReferral)"
        nextReferral += 1
        let source = ReferralSource.allCases[rng.weighted(CourseWriter.sources)]
        let problem = PresentingProblem.allCases[rng.weighted(CourseWriter.problems)]
        let therapist = therapists[rng.weighted(therapistWeights)]
        let delivery = Delivery.allCases[rng.weighted(CourseWriter.deliveries)]
        var course = Course(referralID: referralID, therapist: therapist, delivery: delivery)

        let path = rng.unit()
        var end: (Day, EndReason)?
        let assessment = received.adding(days: 2 + Int(rng.exponential(mean: 10)))
        if path < 0.06 {
            end = (received.adding(days: 28 + Int(rng.exponential(mean: 14))), .notAssessed)
        } else {
            let baseline = Baseline(rng: &rng)
            let assessed = book(&course, day: assessment, kind: .assessment, scores: baseline.at(0, of: 1), core: nil)
            if path < 0.10 {
                end = (assessed.adding(days: 7), .declined)
            } else if path < 0.13 {
                end = (assessed.adding(days: 10), rng.chance(0.5) ? .notSuitable : .referredOn)
            } else {
                end = treat(&course, from: assessed, baseline: baseline)
            }
        }
        var endText = "", reasonText = ""
        var endedOn: Day?
        if let (day, reason) = end, day <= options.lastDay {
            endText = day.iso
            reasonText = reason.rawValue
            endedOn = day
        }
        referrals.write("\(referralID),\(clientID),\(received.iso),\(birth.iso),\(gender.rawValue),\(ethnicity.rawValue),\(postcode),\(source.rawValue),\(problem.rawValue),\(endText),\(reasonText)\n")
        summary.referrals += 1
        return endedOn
    }

    /// Books treatment sessions; returns the end of the course and why it ended.
    private mutating func treat(_ course: inout Course, from assessed: Day, baseline: Baseline) -> (Day, EndReason) {
        var day = assessed.adding(days: 7 + Int(rng.exponential(mean: 18)))
        if rng.chance(0.12) { day = day.adding(days: Int(rng.exponential(mean: 70))) }
        let planned = min(20, 1 + Int(rng.exponential(mean: 7)))
        let dropsOut = rng.chance(0.22)
        let lastSession = dropsOut ? max(1, Int(rng.unit() * Double(planned))) : planned
        let useCore = rng.chance(0.2)
        var attended = 0, bookings = 0, missedInRow = 0
        var lastAttended = assessed
        while attended < lastSession, bookings < planned * 2 + 4 {
            bookings += 1
            let scores = baseline.at(attended + 1, of: planned)
            let core = useCore && (attended == 0 || attended + 1 == lastSession) ? scores.core : nil
            let before = course.attended
            let booked = book(&course, day: day, kind: .treatment, scores: scores, core: core)
            if course.attended > before {
                attended += 1
                lastAttended = booked
                missedInRow = 0
            } else {
                missedInRow += 1
                if missedInRow >= 2, rng.chance(0.5) {
                    return (booked.adding(days: 21), .droppedOut)
                }
            }
            day = booked.adding(days: 6 + Int(rng.unit() * 3) + (rng.chance(0.1) ? 7 : 0))
        }
        if dropsOut { return (lastAttended.adding(days: 21), .droppedOut) }
        if rng.chance(0.04) { return (lastAttended.adding(days: 7), .endedByPractice) }
        return (lastAttended.adding(days: 7), .completed)
    }

    /// Books one appointment on `day` (if within the data) and, when attended, writes scores.
    @discardableResult
    private mutating func book(_ course: inout Course, day: Day, kind: AppointmentKind, scores: Scores, core: Int?) -> Day {
        guard day <= options.lastDay else { return day }
        let status = kind == .assessment && rng.chance(0.5) ? .attended
            : AppointmentStatus.allCases[rng.weighted(CourseWriter.statuses)]
        let delivery = rng.chance(0.85) ? course.delivery : Delivery.allCases[rng.weighted(CourseWriter.deliveries)]
        let minutes = kind == .assessment ? 60 : 50
        appointments.write("A\(nextAppointment),\(course.referralID),\(course.therapist.id),\(day.iso),\(kind.rawValue),\(status.rawValue),\(course.therapist.modality.rawValue),\(delivery.rawValue),\(minutes)\n")
        nextAppointment += 1
        summary.appointments += 1
        if status.isAttended {
            course.attended += 1
            let date = day.iso
            measures.write("\(course.referralID),\(date),phq9,\(scores.phq9)\n\(course.referralID),\(date),gad7,\(scores.gad7)\n")
            summary.measures += 2
            if let core {
                measures.write("\(course.referralID),\(date),core10,\(core)\n")
                summary.measures += 1
            }
        }
        return day
    }
}

/// The state of one referral's course while it is generated.
struct Course {
    let referralID: String
    let therapist: SynthTherapist
    let delivery: Delivery
    var attended = 0
}

/// One session's scores.
struct Scores {
    let phq9: Int
    let gad7: Int
    let core: Int
}

/// A client's starting scores and where their course leads.
struct Baseline {
    let phq9: Double
    let gad7: Double
    let core10: Double
    let response: Double
    let wobble: [Double]

    init(rng: inout SeededGenerator) {
        phq9 = rng.normal(mean: 15.5, sd: 5.5).clamped(0, 27)
        gad7 = (phq9 * 0.6 + rng.normal(mean: 4, sd: 3)).clamped(0, 21)
        core10 = (phq9 * 1.2 + rng.normal(mean: 2, sd: 3)).clamped(0, 40)
        let u = rng.unit()
        response = u < 0.62 ? rng.normal(mean: 0.33, sd: 0.1) : u < 0.94 ? rng.normal(mean: 0.8, sd: 0.1) : rng.normal(mean: 1.3, sd: 0.1)
        wobble = (0..<24).map { _ in rng.normal(mean: 0, sd: 1.5) }
    }

    /// Scores at session `index` of a course of `planned` sessions (0 is the assessment).
    func at(_ index: Int, of planned: Int) -> Scores {
        let progress = min(1, Double(index) / Double(max(1, planned)))
        let factor = 1 + (response - 1) * progress
        let w = wobble[index % wobble.count]
        return Scores(phq9: Int((phq9 * factor + w).rounded()).clamped(0, 27),
                      gad7: Int((gad7 * factor + w * 0.8).rounded()).clamped(0, 21),
                      core: Int((core10 * factor + w).rounded()).clamped(0, 40))
    }
}

extension Comparable {
    func clamped(_ low: Self, _ high: Self) -> Self { min(max(self, low), high) }
}
