import ConfideModel

extension Preset {
    /// Cliniko: patient cases as referrals, appointments with their arrival status (UK date order).
    public static let cliniko = Preset(
        name: "cliniko",
        summary: "Cliniko: patient cases, appointments (Arrived / Did not arrive / Cancelled), outcome measures",
        dateOrder: .dayMonthYear,
        files: [
            .referrals: FileMapping(file: "Cases.csv", columns: [
                "restricted": "Restricted",
                "referral_id": "Case ID", "client_id": "Patient ID", "received_date": "Issue Date",
                "date_of_birth": "Date of Birth", "gender": "Sex", "postcode": "Post Code",
                "referral_source": "Referral Source", "end_date": "Closed Date", "end_reason": "Closure Reason",
            ], values: [
                "restricted": restrictedWords,
                "gender": genderWords,
                "referral_source": ["GP": "gp", "Doctor": "gp", "Self": "self", "Self-referral": "self", "Employer": "employer",
                                    "Insurer": "insurer", "Insurance": "insurer"],
                "end_reason": ["Treatment complete": "completed", "Completed": "completed", "Discharged": "completed",
                               "Did not return": "dropped_out", "Referred on": "referred_on", "Declined": "declined"],
            ]),
            .appointments: FileMapping(file: "Appointments.csv", columns: [
                "appointment_id": "Appointment ID", "referral_id": "Case ID", "therapist_id": "Practitioner ID",
                "date": "Starts At", "kind": "Appointment Type", "status": "Status", "duration_minutes": "Duration",
            ], values: [
                "status": ["Arrived": "attended", "Patient arrived": "attended", "Attended": "attended",
                           "Did not arrive": "dna", "DNA": "dna",
                           "Cancelled": "cancelled", "Late cancellation": "cancelled_by_client"],
                "kind": clinikoKindWords,
            ]),
            .measures: FileMapping(file: "Outcome Measures.csv", columns: [
                "referral_id": "Case ID", "date": "Completed At", "instrument": "Measure", "score": "Total Score",
            ], values: ["instrument": instrumentNames]),
        ])
}

/// Cliniko's appointment types as kinds, shared by the `cliniko` and `cliniko-api` presets
/// [PROJECT CONVENTION, docs/presets.md].
let clinikoKindWords: [String: String] = [
    "Initial Consultation": "assessment", "Initial Appointment": "assessment", "Assessment": "assessment",
    "Standard Appointment": "treatment", "Follow Up": "treatment", "Follow-up Appointment": "treatment",
    "Review": "follow_up",
]
