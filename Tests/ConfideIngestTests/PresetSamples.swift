/// Small, realistic sample exports of each preset's practice system (every person, contact and
/// note invented). Identifying columns (names, emails, phone numbers, notes, telehealth links,
/// IP addresses) are present on purpose: the ingest must drop them.
enum PresetSamples {
    /// Values planted in identifying columns; none may reach the store.
    static let planted = ["Imogen Fairweather", "imogen.fw@example.org", "07700 900123", "https://meet.example.com/r/abc123",
                          "203.0.113.77", "Disclosed history of self-harm", "Barnaby Quill", "barnaby@example.net",
                          "943 476 5919", "LS6 2AB"]

    static let cliniko: [String: String] = [
        "Cases.csv": """
        Case ID,Patient ID,Patient Name,Email,Issue Date,Date of Birth,Sex,Post Code,Referral Source,Closed Date,Closure Reason,Notes
        CS-1001,P-501,Imogen Fairweather,imogen.fw@example.org,06/01/2026,14/02/1990,Female,LS6 2AB,GP,,,Disclosed history of self-harm
        CS-1002,P-502,Barnaby Quill,barnaby@example.net,13/01/2026,01/07/1985,Male,M1 1AE,Self-referral,20/03/2026,Treatment complete,

        """,
        "Appointments.csv": """
        Appointment ID,Case ID,Patient Name,Practitioner ID,Practitioner,Appointment Type,Starts At,Ends At,Duration,Status,Telehealth URL,Booking IP Address,Notes
        AP-1,CS-1001,Imogen Fairweather,T01,Dr A Therapist,Initial Consultation,12/01/2026 09:00,12/01/2026 10:00,60,Arrived,https://meet.example.com/r/abc123,203.0.113.77,Disclosed history of self-harm
        AP-2,CS-1001,Imogen Fairweather,T01,Dr A Therapist,Standard Appointment,19/01/2026 09:00,19/01/2026 09:50,50,Did not arrive,,203.0.113.77,
        AP-3,CS-1001,Imogen Fairweather,T01,Dr A Therapist,Standard Appointment,26/01/2026 09:00,26/01/2026 09:50,50,Cancelled,,,
        AP-4,CS-1002,Barnaby Quill,T02,Mx B Counsellor,Initial Consultation,20/01/2026 14:00,20/01/2026 15:00,60,DID NOT ARRIVE,,,
        AP-5,CS-1002,Barnaby Quill,T02,Mx B Counsellor,Follow Up,27/01/2026 14:00,27/01/2026 14:50,50,Late cancellation,,,

        """,
        "Outcome Measures.csv": """
        Case ID,Patient Name,Measure,Completed At,Total Score
        CS-1001,Imogen Fairweather,PHQ-9,12/01/2026,17
        CS-1001,Imogen Fairweather,GAD-7,12/01/2026,14
        CS-1002,Barnaby Quill,PHQ-9,20/01/2026,9

        """,
    ]

    /// Cliniko's API shape: `individual_appointments` flattened to CSV (ISO times in UTC, the
    /// booleans as the API writes them), with canonical referrals and measures beside it.
    static let clinikoAPI: [String: String] = [
        "referrals.csv": """
        referral_id,client_id,patient_name,email,phone,received_date,date_of_birth,gender,postcode,referral_source
        CASE-88001,PAT-55001,Imogen Fairweather,imogen.fw@example.org,07700 900123,2026-01-06,1990-02-14,female,LS6 2AB,gp
        CASE-88002,PAT-55002,Barnaby Quill,barnaby@example.net,943 476 5919,2026-01-13,1985-07-01,male,M1 1AE,self

        """,
        "individual_appointments.csv": """
        id,patient_case,practitioner,appointment_type,starts_at,ends_at,cancelled_at,cancellation_note,did_not_arrive,patient_arrived,patient_name,notes,telehealth_url,booking_ip_address
        1120001,CASE-88001,71,Initial Consultation,2026-01-12T09:00:00Z,2026-01-12T10:00:00Z,,,false,true,Imogen Fairweather,Disclosed history of self-harm,https://meet.example.com/r/abc123,203.0.113.77
        1120002,CASE-88001,71,Standard Appointment,2026-01-19T09:00:00Z,2026-01-19T09:50:00Z,,,true,false,Imogen Fairweather,,,203.0.113.77
        1120003,CASE-88001,71,Standard Appointment,2026-01-26T09:00:00Z,2026-01-26T09:50:00Z,2026-01-25T18:03:11Z,Disclosed history of self-harm,false,false,Imogen Fairweather,,,
        1120004,CASE-88002,72,Initial Consultation,2026-01-20T14:00:00Z,2026-01-20T15:00:00Z,,,false,false,Barnaby Quill,,,
        1120005,CASE-88002,72,Follow Up,2026-01-27T14:00:00Z,2026-01-27T14:50:00Z,2026-01-27T13:55:02Z,,TRUE,true,Barnaby Quill,,,
        1120006,CASE-88002,72,Follow Up,2026-02-03T14:00:00Z,2026-02-03T14:50:00Z,,,True,true,Barnaby Quill,,,

        """,
        "measures.csv": """
        referral_id,patient_name,date,instrument,score
        CASE-88001,Imogen Fairweather,2026-01-12,phq9,17
        CASE-88002,Barnaby Quill,2026-01-20,gad7,9

        """,
    ]

    /// The raw values of the Cliniko API sample's status columns and identifiers: only the
    /// derived status word and pseudonyms may be stored.
    static let clinikoAPIRaw = ["2026-01-25T18:03:11Z", "2026-01-27T13:55:02Z", "18:03:11", "13:55:02", "CASE-8800", "PAT-5500", "1120003"]

    static let simplePractice: [String: String] = [
        "Clients.csv": """
        Client ID,First Name,Last Name,Email,Phone,Date Created,Date of Birth,Sex,Referral Source,Discharge Date
        1001,Imogen,Fairweather,imogen.fw@example.org,07700 900123,01/06/2026,02/14/1990,F,Physician,
        1002,Barnaby,Quill,barnaby@example.net,943 476 5919,01/13/2026,07/01/1985,M,Self,03/20/2026

        """,
        "Appointments.csv": """
        Appointment ID,Client ID,Client Name,Clinician ID,Clinician,Date of Service,Service Code,Location,Duration,Status,Notes
        9001,1001,Imogen Fairweather,C7,Jo Clinician,01/12/2026,90791,Video Office,60,Show,Disclosed history of self-harm
        9002,1001,Imogen Fairweather,C7,Jo Clinician,01/19/2026,90834,Video Office,45,No Show,
        9003,1001,Imogen Fairweather,C7,Jo Clinician,01/26/2026,90834,Office,45,Late Cancelled,
        9004,1002,Barnaby Quill,C8,Sam Clinician,01/20/2026,90791,Office,60,Show,
        9005,1002,Barnaby Quill,C8,Sam Clinician,01/27/2026,90837,Telehealth,60,Canceled,

        """,
        "Measures.csv": """
        Client ID,Client Name,Measure,Date Completed,Score
        1001,Imogen Fairweather,PHQ-9,01/12/2026,17
        1002,Barnaby Quill,GAD-7,01/20/2026,8

        """,
    ]

    static let writeUpp: [String: String] = [
        "Episodes.csv": """
        Episode ID,Patient ID,Patient Name,Email,Mobile,Created Date,Date of Birth,Gender,Postcode,Referral Source,Presenting Problem,Discharge Date,Discharge Reason,Last Clinician,Notes
        EP-1,PT-1,Imogen Fairweather,imogen.fw@example.org,07700 900123,06/01/2026,14/02/1990,Female,LS6 2AB,GP,Low mood,,,Dr A Therapist,Disclosed history of self-harm
        EP-2,PT-2,Barnaby Quill,barnaby@example.net,,13/01/2026,01/07/1985,Male,M1 1AE,Self Referral,Anxiety,20/03/2026,Treatment Completed,Mx B Counsellor,

        """,
        "Appointments.csv": """
        Appointment ID,Episode ID,Patient Name,Clinician ID,Clinician,Start,End,Appointment Type,Location,Duration,Appointment Status,Notes
        W1,EP-1,Imogen Fairweather,T01,Dr A Therapist,12/01/2026 09:00,12/01/2026 10:00,Initial Assessment,Clinic,60,Attended,Disclosed history of self-harm
        W2,EP-1,Imogen Fairweather,T01,Dr A Therapist,19/01/2026 09:00,19/01/2026 09:50,Treatment,Video,50,DNA,
        W3,EP-1,Imogen Fairweather,T01,Dr A Therapist,26/01/2026 09:00,26/01/2026 09:50,Treatment,Video,50,Cancelled by Clinician,
        W4,EP-2,Barnaby Quill,T02,Mx B Counsellor,20/01/2026 14:00,20/01/2026 15:00,Initial Assessment,Telephone,60,Arrived Late,
        W5,EP-2,Barnaby Quill,T02,Mx B Counsellor,27/01/2026 14:00,27/01/2026 14:50,Treatment,Clinic,50,Patient Cancelled,

        """,
        "Measures.csv": """
        Episode ID,Patient Name,Measure,Date,Score
        EP-1,Imogen Fairweather,PHQ-9,12/01/2026,17
        EP-2,Barnaby Quill,GAD-7,20/01/2026,15

        """,
    ]

    static let halaxy: [String: String] = [
        "Referrals.csv": """
        Referral ID,Patient ID,Patient Name,Patient Email,Referral Date,Date of Birth,Gender,Referrer Type,Referrer Name,Closed Date,Closed Reason
        HR-1,HP-1,Imogen Fairweather,imogen.fw@example.org,06/01/2026,14/02/1990,Female,GP,Dr Referrer,,
        HR-2,HP-2,Barnaby Quill,barnaby@example.net,13/01/2026,01/07/1985,Male,Self,,20/03/2026,Completed

        """,
        "Appointments.csv": """
        Appointment ID,Referral ID,Patient Name,Practitioner ID,Start Time,Appointment Type,Location Type,Duration (mins),Status,Cancellation Reason,Telehealth Link
        H1,HR-1,Imogen Fairweather,P1,12/01/2026 09:00,Initial Consultation,Telehealth,60,Attended,,https://meet.example.com/r/abc123
        H2,HR-1,Imogen Fairweather,P1,19/01/2026 09:00,Standard Consultation,Telehealth,50,Did Not Attend,,
        H3,HR-1,Imogen Fairweather,P1,26/01/2026 09:00,Standard Consultation,In Person,50,Cancelled,Disclosed history of self-harm,
        H4,HR-2,Barnaby Quill,P2,20/01/2026 14:00,Initial Consultation,Phone,60,Attended,,

        """,
        "Measures.csv": """
        Referral ID,Measure,Date,Score
        HR-1,GAD-7,12/01/2026,14
        HR-2,PHQ-9,20/01/2026,9

        """,
    ]

    static let nhsTalkingTherapies: [String: String] = [
        "referrals.csv": """
        ServiceRequestId,LocalPatientId,NHSNumber,PersonName,ReferralRequestReceivedDate,PersonBirthDate,Gender,EthnicCategory,Postcode,ServDischDate,EndCode
        SR1,LP1,943 476 5919,Imogen Fairweather,2026-01-06,1990-02-14,2,A,LS6 2AB,2026-04-01,46
        SR2,LP2,,Barnaby Quill,2026-01-13,1985-07-01,1,N,M1 1AE,2026-03-20,47
        SR3,LP3,,,2026-01-14,,X,Z,,2026-02-01,50

        """,
        "appointments.csv": """
        CareContactId,ServiceRequestId,CareProfLocalId,CareContDate,AttendOrDNACode,ConsMechanismMH,ClinContDurOfCareCont,ClinicalNotes
        CC1,SR1,T01,2026-01-12,5,01,60,Disclosed history of self-harm
        CC2,SR1,T01,2026-01-19,6,02,50,
        CC3,SR1,T01,2026-01-26,7,02,0,
        CC4,SR2,T02,2026-01-20,02,03,0,
        CC5,SR2,T02,2026-01-27,3,01,0,
        CC6,SR2,T02,2026-02-03,4,01,0,

        """,
        "measures.csv": """
        ServiceRequestId,AssToolType,AssToolCompDate,PersScore
        SR1,PHQ9,2026-01-12,17
        SR1,GAD7,2026-01-12,14
        SR2,PHQ9,2026-01-20,9

        """,
    ]
}
