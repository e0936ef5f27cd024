import ConfideModel

extension Preset {
    /// NHS Talking Therapies data set codes: attendance codes 2-7 and referral end codes
    /// (metrics-reference §1.11, §1.12), with data-set-style column names, ISO dates.
    public static let nhsTalkingTherapies = Preset(
        name: "nhs-talking-therapies",
        summary: "NHS Talking Therapies data set codes: attendance codes 2-7, referral end codes 10-17, 46-50, 95, 96",
        dateOrder: .iso,
        files: [
            .referrals: FileMapping(file: "referrals.csv", columns: [
                "restricted": "Restricted",
                "referral_id": "ServiceRequestId", "client_id": "LocalPatientId", "received_date": "ReferralRequestReceivedDate",
                "date_of_birth": "PersonBirthDate", "gender": "Gender", "ethnicity": "EthnicCategory", "postcode": "Postcode",
                "end_date": "ServDischDate", "end_reason": "EndCode",
            ], values: [
                "restricted": restrictedWords,
                "end_reason": [
                    "10": "not_suitable", "11": "not_suitable", "12": "other", "13": "referred_on", "14": "declined",
                    "16": "dropped_out", "17": "other", "95": "other", "50": "not_assessed",
                    "46": "completed", "47": "dropped_out", "48": "ended_by_practice", "49": "other", "96": "other",
                ],
                "gender": ["1": "male", "2": "female", "9": "other", "X": "not_stated", "Z": "not_stated"],
                "ethnicity": [
                    "A": "white", "B": "white", "C": "white", "D": "mixed", "E": "mixed", "F": "mixed", "G": "mixed",
                    "H": "asian", "J": "asian", "K": "asian", "L": "asian", "R": "asian",
                    "M": "black", "N": "black", "P": "black", "S": "other", "Z": "not_stated", "99": "not_stated",
                ],
            ]),
            .appointments: FileMapping(file: "appointments.csv", columns: [
                "appointment_id": "CareContactId", "referral_id": "ServiceRequestId", "therapist_id": "CareProfLocalId",
                "date": "CareContDate", "status": "AttendOrDNACode", "delivery": "ConsMechanismMH",
                "duration_minutes": "ClinContDurOfCareCont",
            ], values: [
                "status": [
                    "5": "attended", "05": "attended", "6": "attended_late", "06": "attended_late",
                    "7": "late_not_seen", "07": "late_not_seen", "2": "cancelled_by_client", "02": "cancelled_by_client",
                    "3": "dna", "03": "dna", "4": "cancelled_by_practice", "04": "cancelled_by_practice",
                ],
                "delivery": ["01": "in_person", "1": "in_person", "02": "phone", "2": "phone", "03": "video", "3": "video"],
            ]),
            .measures: FileMapping(file: "measures.csv", columns: [
                "referral_id": "ServiceRequestId", "date": "AssToolCompDate", "instrument": "AssToolType", "score": "PersScore",
            ], values: ["instrument": instrumentNames]),
        ])
}
