import ConfideModel

extension Preset {
    /// WriteUpp: episodes (caseload view) as referrals, appointments with common status names
    /// (WriteUpp statuses are defined per practice; check yours), UK date order.
    public static let writeUpp = Preset(
        name: "writeupp",
        summary: "WriteUpp: episodes as referrals, appointments with common status names (edit to your statuses), measures",
        dateOrder: .dayMonthYear,
        files: [
            .referrals: FileMapping(file: "Episodes.csv", columns: [
                "restricted": "Restricted",
                "referral_id": "Episode ID", "client_id": "Patient ID", "received_date": "Created Date",
                "date_of_birth": "Date of Birth", "gender": "Gender", "postcode": "Postcode",
                "referral_source": "Referral Source", "presenting_problem": "Presenting Problem",
                "end_date": "Discharge Date", "end_reason": "Discharge Reason",
            ], values: [
                "restricted": restrictedWords,
                "gender": genderWords,
                "referral_source": ["GP": "gp", "Self": "self", "Self Referral": "self", "Employer": "employer",
                                    "Occupational Health": "employer", "Insurer": "insurer", "Insurance": "insurer"],
                "presenting_problem": ["Depression": "depression", "Low mood": "depression", "Anxiety": "gad",
                                       "Generalised Anxiety": "gad", "Panic": "panic", "PTSD": "ptsd", "Trauma": "ptsd",
                                       "OCD": "ocd", "Bereavement": "bereavement", "Relationship": "relationship"],
                "end_reason": ["Treatment Completed": "completed", "Completed": "completed", "Disengaged": "dropped_out",
                               "Did Not Attend": "dropped_out", "DNA": "dropped_out", "Referred On": "referred_on",
                               "Onward Referral": "referred_on", "Declined Treatment": "declined", "Not Suitable": "not_suitable"],
            ]),
            .appointments: FileMapping(file: "Appointments.csv", columns: [
                "appointment_id": "Appointment ID", "referral_id": "Episode ID", "therapist_id": "Clinician ID",
                "date": "Start", "kind": "Appointment Type", "status": "Appointment Status", "delivery": "Location",
                "duration_minutes": "Duration",
            ], values: [
                "status": ["Attended": "attended", "Arrived": "attended", "Completed": "attended",
                           "Arrived Late": "attended_late", "Late - Not Seen": "late_not_seen",
                           "DNA": "dna", "Did Not Attend": "dna",
                           "Cancelled": "cancelled", "Cancelled by Patient": "cancelled_by_client",
                           "Patient Cancelled": "cancelled_by_client", "Late Cancellation": "cancelled_by_client",
                           "Cancelled by Clinician": "cancelled_by_practice", "Cancelled by Practice": "cancelled_by_practice",
                           "Clinician Cancelled": "cancelled_by_practice"],
                "kind": ["Initial Assessment": "assessment", "Assessment": "assessment", "Treatment": "treatment",
                         "Follow Up": "treatment", "Review": "follow_up"],
                "delivery": ["Video": "video", "Online": "video", "Telephone": "phone", "Phone": "phone", "Clinic": "in_person"],
            ]),
            .measures: FileMapping(file: "Measures.csv", columns: [
                "referral_id": "Episode ID", "date": "Date", "instrument": "Measure", "score": "Score",
            ], values: ["instrument": instrumentNames]),
        ])
}
