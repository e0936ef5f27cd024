import ConfideModel

extension Preset {
    /// Cliniko's API shape (`individual_appointments` flattened to CSV): no status column, but a
    /// `cancelled_at` time and the booleans `did_not_arrive` and `patient_arrived`, from which
    /// the status is derived (`status_columns`). Cliniko counts an appointment as attended when
    /// it is neither cancelled nor a DNA, so a row with none of them set is `attended`.
    /// Referrals and measures keep the canonical files and names (ISO dates, as the API).
    public static let clinikoAPI = Preset(
        name: "cliniko-api",
        summary: "Cliniko API appointments: status from cancelled_at, did_not_arrive, patient_arrived; canonical referrals, measures",
        dateOrder: .iso,
        files: [
            .appointments: FileMapping(file: "individual_appointments.csv", columns: [
                "appointment_id": "id", "referral_id": "patient_case", "therapist_id": "practitioner",
                "date": "starts_at", "kind": "appointment_type",
            ], values: [
                "kind": clinikoKindWords,
            ], statusColumns: [
                "cancelled_at": "cancelled", "did_not_arrive": "dna", "patient_arrived": "attended",
            ], statusWhenUnset: "attended"),
        ])
}
