import ConfideModel

extension Preset {
    /// SimplePractice: one referral per client, appointments with Show / Cancelled / Late
    /// Cancelled / No Show, CPT service codes as kinds (US date order).
    public static let simplePractice = Preset(
        name: "simplepractice",
        summary: "SimplePractice: clients as referrals, appointments (Show / Cancelled / Late Cancelled / No Show), measures",
        dateOrder: .monthDayYear,
        files: [
            .referrals: FileMapping(file: "Clients.csv", columns: [
                "restricted": "Restricted",
                "referral_id": "Client ID", "client_id": "Client ID", "received_date": "Date Created",
                "date_of_birth": "Date of Birth", "gender": "Sex", "referral_source": "Referral Source",
                "end_date": "Discharge Date",
            ], values: [
                "restricted": restrictedWords,
                "gender": genderWords,
                "referral_source": ["Physician": "gp", "Doctor": "gp", "Self": "self", "Employer": "employer",
                                    "EAP": "employer", "Insurance": "insurer"],
            ]),
            .appointments: FileMapping(file: "Appointments.csv", columns: [
                "appointment_id": "Appointment ID", "referral_id": "Client ID", "therapist_id": "Clinician ID",
                "date": "Date of Service", "kind": "Service Code", "status": "Status", "delivery": "Location",
                "duration_minutes": "Duration",
            ], values: [
                "status": ["Show": "attended", "Cancelled": "cancelled", "Canceled": "cancelled",
                           "Late Cancelled": "cancelled_by_client", "Late Canceled": "cancelled_by_client", "No Show": "dna"],
                "kind": ["90791": "assessment", "90832": "treatment", "90834": "treatment", "90837": "treatment",
                         "90846": "treatment", "90847": "treatment", "90853": "treatment"],
                "delivery": ["Telehealth": "video", "Video Office": "video", "Office": "in_person", "Phone": "phone"],
            ]),
            .measures: FileMapping(file: "Measures.csv", columns: [
                "referral_id": "Client ID", "date": "Date Completed", "instrument": "Measure", "score": "Score",
            ], values: ["instrument": instrumentNames]),
        ])
}
