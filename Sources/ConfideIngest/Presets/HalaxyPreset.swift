import ConfideModel

extension Preset {
    /// Halaxy: referrals, appointments marked Attended / Did Not Attend / Cancelled (day-first dates).
    public static let halaxy = Preset(
        name: "halaxy",
        summary: "Halaxy: referrals, appointments (Attended / Did Not Attend / Cancelled), measures",
        dateOrder: .dayMonthYear,
        files: [
            .referrals: FileMapping(file: "Referrals.csv", columns: [
                "restricted": "Restricted",
                "referral_id": "Referral ID", "client_id": "Patient ID", "received_date": "Referral Date",
                "date_of_birth": "Date of Birth", "gender": "Gender", "referral_source": "Referrer Type",
                "end_date": "Closed Date", "end_reason": "Closed Reason",
            ], values: [
                "restricted": restrictedWords,
                "gender": genderWords,
                "referral_source": ["GP": "gp", "General Practitioner": "gp", "Self": "self", "Employer": "employer", "Insurer": "insurer"],
                "end_reason": ["Completed": "completed", "Treatment Completed": "completed", "Referred On": "referred_on",
                               "Disengaged": "dropped_out", "Declined": "declined"],
            ]),
            .appointments: FileMapping(file: "Appointments.csv", columns: [
                "appointment_id": "Appointment ID", "referral_id": "Referral ID", "therapist_id": "Practitioner ID",
                "date": "Start Time", "kind": "Appointment Type", "status": "Status", "delivery": "Location Type",
                "duration_minutes": "Duration (mins)",
            ], values: [
                "status": ["Attended": "attended", "Did Not Attend": "dna", "Non-attendance": "dna",
                           "Cancelled": "cancelled"],
                "kind": ["Initial Consultation": "assessment", "Assessment": "assessment", "Standard Consultation": "treatment",
                         "Follow Up": "treatment", "Review": "follow_up"],
                "delivery": ["Telehealth": "video", "Video": "video", "Phone": "phone", "Telephone": "phone",
                             "In Person": "in_person", "Clinic": "in_person"],
            ]),
            .measures: FileMapping(file: "Measures.csv", columns: [
                "referral_id": "Referral ID", "date": "Date", "instrument": "Measure", "score": "Score",
            ], values: ["instrument": instrumentNames]),
        ])
}
