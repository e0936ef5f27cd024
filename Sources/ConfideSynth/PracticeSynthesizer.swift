public import ConfideModel

/// What to synthesise.
public struct SynthOptions: Sendable {
    /// Distinct clients (about 8% of them come back with a second referral).
    public var clients: Int
    /// Weeks of history, ending on `lastDay`.
    public var weeks: Int
    /// The seed: the same seed, size and last day give the same files, byte for byte.
    public var seed: UInt64
    /// The last day with data (appointments after it are not written).
    public var lastDay: Day
    /// Therapists; nil picks clients / 100, clamped to 6...40.
    public var therapists: Int?

    /// Creates options with defaults for anything not given.
    public init(clients: Int = 1_200, weeks: Int = 104, seed: UInt64 = 1, lastDay: Day, therapists: Int? = nil) {
        self.clients = clients
        self.weeks = weeks
        self.seed = seed
        self.lastDay = lastDay
        self.therapists = therapists
    }
}

/// What was written.
public struct SynthSummary: Sendable, Equatable {
    /// Rows in `referrals.csv`.
    public var referrals = 0
    /// Rows in `appointments.csv`.
    public var appointments = 0
    /// Rows in `measures.csv`.
    public var measures = 0
    /// Therapists in the practice.
    public var therapists = 0
    /// The first and last day of the data.
    public var firstDay: Day
    /// The last day of the data.
    public var lastDay: Day
}

/// Writes a synthetic practice in the canonical export format.
///
/// Realistic in shape: weekly referrals, ages 16-90, waits of a few weeks with a long tail,
/// courses of 1-20 sessions with dropouts, about 10% DNA, PHQ-9 and GAD-7 at every treatment
/// session with trajectories that give national-like outcomes, 6-40 therapists with their own
/// modalities and caseloads. Every id, date and score is invented.
public enum PracticeSynthesizer {
    /// Writes `referrals.csv`, `appointments.csv` and `measures.csv` into `directory` (which must
    /// exist). Each file appears whole or not at all.
    public static func write(to directory: String, options: SynthOptions) throws -> SynthSummary {
        let referrals = try BufferedFile(path: directory + "/referrals.csv")
        let appointments = try BufferedFile(path: directory + "/appointments.csv")
        let measures = try BufferedFile(path: directory + "/measures.csv")
        referrals.write("referral_id,client_id,received_date,date_of_birth,gender,ethnicity,postcode,referral_source,presenting_problem,end_date,end_reason\n")
        appointments.write("appointment_id,referral_id,therapist_id,date,kind,status,modality,delivery,duration_minutes\n")
        measures.write("referral_id,date,instrument,score\n")
        var course = CourseWriter(options: options, referrals: referrals, appointments: appointments, measures: measures)
        for client in 0..<options.clients {
            course.writeClient(client)
        }
        try referrals.commit()
        try appointments.commit()
        try measures.commit()
        return course.summary
    }
}
