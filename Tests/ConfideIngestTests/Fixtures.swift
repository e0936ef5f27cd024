import ConfideIngest
import ConfideSchema
import ConfideStore
import Foundation

/// A temporary folder for one test.
struct TempFolder {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-ingest-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) {
        _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes))
    }
}

let testKey = try! PracticeKey(bytes: Array(repeating: 7, count: 32))
let london = TimeZone(identifier: "Europe/London")!

func openStore(_ folder: TempFolder) throws -> Database {
    let db = try Database(path: folder.path + "/store.sqlite")
    try Schema.migrator.migrate(db)
    return db
}

let referralsHeader = "referral_id,client_id,received_date,date_of_birth,gender,ethnicity,postcode,referral_source,presenting_problem,end_date,end_reason\n"
let appointmentsHeader = "appointment_id,referral_id,therapist_id,date,kind,status,modality,delivery,duration_minutes\n"
let measuresHeader = "referral_id,date,instrument,score\n"

/// Writes a small valid canonical export.
func writeValidExport(_ folder: TempFolder) {
    folder.write("referrals.csv", referralsHeader + """
    R1,C1,2026-01-05,1990-03-01,female,white,LS6 2AB,gp,depression,,
    R2,C2,2026-01-06,,male,asian,,self,gad,2026-03-01,completed

    """)
    folder.write("appointments.csv", appointmentsHeader + """
    A1,R1,T01,2026-01-12,assessment,attended,cbt,video,60
    A2,R1,T01,2026-01-19,treatment,dna,cbt,video,50
    A3,R2,T02,2026-01-20T09:30:00Z,treatment,attended,counselling,in_person,

    """)
    folder.write("measures.csv", measuresHeader + """
    R1,2026-01-12,phq9,15
    R1,2026-01-12,gad7,12

    """)
}
