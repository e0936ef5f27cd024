/// ARX's sample-based re-identification risks over the equivalence classes of the
/// quasi-identifiers (El Emam's prosecutor, journalist and marketer models).
///
/// A record's prosecutor risk is 1/|class|. With no population table the journalist's classes
/// are the sample's, so `journalistMax` equals `prosecutorMax`.
public struct ReidentificationRisk: Sendable, Equatable {
    /// The records counted.
    public let records: Int
    /// The equivalence classes.
    public let classes: Int
    /// The highest prosecutor risk: 1 / smallest class.
    public let prosecutorMax: Double
    /// The average prosecutor risk over records: classes / records.
    public let prosecutorAverage: Double
    /// The highest journalist risk (equal to ``prosecutorMax`` without a population table).
    public let journalistMax: Double
    /// The marketer risk: classes / records.
    public let marketer: Double
    /// The share of records alone in their class.
    public let sampleUniques: Double
    /// The records that carry the highest risk (those in the smallest classes).
    public let recordsAtMax: Int

    /// The risks of classes of these sizes (0 records gives every figure 0).
    public init(classSizes: [Int]) {
        let records = classSizes.reduce(0, +)
        let smallest = classSizes.min() ?? 0
        self.records = records
        self.classes = classSizes.count
        guard records > 0 else {
            prosecutorMax = 0; prosecutorAverage = 0; journalistMax = 0; marketer = 0; sampleUniques = 0; recordsAtMax = 0
            return
        }
        prosecutorMax = 1 / Double(smallest)
        prosecutorAverage = Double(classSizes.count) / Double(records)
        journalistMax = prosecutorMax
        marketer = prosecutorAverage
        sampleUniques = Double(classSizes.lazy.filter { $0 == 1 }.count) / Double(records)
        recordsAtMax = classSizes.lazy.filter { $0 == smallest }.reduce(0, +)
    }

    /// The risks of `columns` of `table` as they are (raw values, no hierarchy needed).
    public init(table: InputTable, columns: [String]) throws(AnonymityError) {
        var classOf = [Int](repeating: 0, count: table.recordCount)
        var classes = 1
        for name in columns {
            guard let column = table.columns[name] else {
                throw AnonymityError(.dataError, "\(table.text.path): no column '\(name)' in the header")
            }
            let index = GroupIndex()
            index.reset(forAtMost: table.recordCount)
            for record in 0..<table.recordCount {
                classOf[record] = index.index(of: UInt64(classOf[record]) << 32 | UInt64(column.ids[record])).0
            }
            classes = index.count
        }
        var sizes = [Int](repeating: 0, count: classes)
        for record in classOf { sizes[record] += 1 }
        self.init(classSizes: sizes)
    }

    /// The figures as a JSON-ready dictionary with the command line's key names.
    public var dictionary: [String: any Sendable] {
        ["prosecutor_max": prosecutorMax, "prosecutor_avg": prosecutorAverage, "journalist_max": journalistMax,
         "marketer": marketer, "sample_uniques": sampleUniques, "records_at_max": recordsAtMax,
         "records": records, "classes": classes]
    }
}
