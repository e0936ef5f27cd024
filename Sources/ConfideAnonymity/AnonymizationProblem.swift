/// What to anonymise: the table, its quasi-identifiers (in header order) with their hierarchies,
/// the privacy model and the metric to minimise, checked for consistency.
public struct AnonymizationProblem: Sendable {
    /// The input.
    public let table: InputTable
    /// The quasi-identifiers in input header order (ARX's order of a transformation vector).
    public let quasiIdentifiers: [QuasiIdentifier]
    /// The sensitive column when the model asks for l-diversity.
    public let sensitive: EncodedColumn?
    /// The privacy model.
    public let model: PrivacyModel
    /// The metric minimised.
    public let metric: QualityMetric
    /// The bit offset of each quasi-identifier's field in a packed class key.
    let offsets: [Int]
    /// The bits below the quasi-identifiers that hold the sensitive value id (0 without l).
    let sensitiveBits: Int

    /// Checks and prepares a problem.
    ///
    /// - Parameters:
    ///   - hierarchies: the hierarchy of each quasi-identifier, by column name.
    /// - Throws: ``AnonymityError``: `.usage` for k < 1, l < 1 or a suppression limit outside
    ///   0…1; `.dataError` for a value missing from its hierarchy, k larger than the number of
    ///   records, l larger than the number of distinct sensitive values, a sensitive column that
    ///   is also a quasi-identifier, or columns too varied to pack into 64 bits.
    public init(table: InputTable, hierarchies: [String: Hierarchy], model: PrivacyModel,
                metric: QualityMetric) throws(AnonymityError) {
        let path = table.text.path
        guard model.k >= 1 else { throw AnonymityError(.usage, "k must be at least 1") }
        guard model.maxSuppression >= 0, model.maxSuppression <= 1 else {
            throw AnonymityError(.usage, "the suppression limit must be a fraction from 0 to 1")
        }
        guard model.k <= table.recordCount else {
            throw AnonymityError(.dataError, "\(path): k = \(model.k) is larger than the number of records (\(table.recordCount))")
        }
        var quasiIdentifiers: [QuasiIdentifier] = []
        for (name, hierarchy) in hierarchies {
            guard let column = table.columns[name] else {
                throw AnonymityError(.dataError, "\(path): no column '\(name)' in the header")
            }
            quasiIdentifiers.append(try QuasiIdentifier(column: column, hierarchy: hierarchy, inputPath: path))
        }
        guard !quasiIdentifiers.isEmpty else { throw AnonymityError(.usage, "at least one quasi-identifier is needed") }
        quasiIdentifiers.sort { $0.columnIndex < $1.columnIndex }
        var sensitive: EncodedColumn?
        var sensitiveBits = 0
        if let diversity = model.diversity {
            guard diversity.l >= 1 else { throw AnonymityError(.usage, "l must be at least 1") }
            guard hierarchies[diversity.column] == nil else {
                throw AnonymityError(.usage, "column '\(diversity.column)' cannot be both sensitive and a quasi-identifier")
            }
            guard let column = table.columns[diversity.column] else {
                throw AnonymityError(.dataError, "\(path): no column '\(diversity.column)' in the header")
            }
            guard diversity.l <= column.values.count else {
                throw AnonymityError(.dataError, "\(path): l = \(diversity.l) is larger than the number of distinct values of the "
                    + "sensitive column '\(column.name)' (\(column.values.count)); no class can be \(diversity.l)-diverse")
            }
            sensitive = column
            sensitiveBits = QuasiIdentifier.bits(forDistinct: column.values.count)
        }
        var offsets: [Int] = []
        var next = sensitiveBits
        for quasiIdentifier in quasiIdentifiers {
            offsets.append(next)
            next += quasiIdentifier.bits
        }
        guard next <= 64 else {
            throw AnonymityError(.dataError, "\(path): the quasi-identifiers have too many distinct values together "
                + "(\(next) bits, at most 64): use fewer quasi-identifiers or coarser values")
        }
        self.table = table
        self.quasiIdentifiers = quasiIdentifiers
        self.sensitive = sensitive
        self.model = model
        self.metric = metric
        self.offsets = offsets
        self.sensitiveBits = sensitiveBits
    }

    /// The number of records.
    public var recordCount: Int { table.recordCount }

    /// The number of transformations in the generalisation lattice.
    public var transformationCount: Int { quasiIdentifiers.reduce(1) { $0 * ($1.maxLevel + 1) } }

    /// The packed keys of every record at `levels`, in record order.
    func keys(levels: [Int]) -> [UInt64] {
        var keys = [UInt64](repeating: 0, count: recordCount)
        if let sensitive { for record in 0..<recordCount { keys[record] = UInt64(sensitive.ids[record]) } }
        for (index, quasiIdentifier) in quasiIdentifiers.enumerated() {
            let ids = table.columns[quasiIdentifier.name]!.ids
            let table = quasiIdentifier.generalised[levels[index]]
            let shift = UInt64(offsets[index])
            for record in 0..<recordCount { keys[record] |= UInt64(table[Int(ids[record])]) << shift }
        }
        return keys
    }

    /// The metric's value at `levels` where it depends on the levels alone, else a lower bound
    /// of its value at `levels` and at every generalisation of it (loss: every record counted at
    /// its generalised share, as if none were suppressed; dm: none).
    func levelBound(_ levels: [Int]) -> Double {
        switch metric {
        case .entropy:
            var total = 0.0
            for (index, quasiIdentifier) in quasiIdentifiers.enumerated() { total += quasiIdentifier.entropy[levels[index]] }
            return total
        case .loss:
            return LossFormula.loss(covered: quasiIdentifiers.indices.map { quasiIdentifiers[$0].coveredTotal[levels[$0]] },
                                    hierarchyRows: quasiIdentifiers.map(\.hierarchyRows), records: recordCount)
        case .dm:
            return -Double.infinity
        }
    }
}
