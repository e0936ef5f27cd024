public import ConfideModel

/// A folder of CSV exports: where each canonical file is and how it is written.
public struct CSVSource: Sendable {
    /// The folder.
    public var directory: String
    /// The file name of each canonical file inside the folder.
    public var fileNames: [CanonicalFile: String]
    /// For each canonical file, the source column that feeds each canonical field (absent
    /// entries use the canonical name).
    public var columns: [CanonicalFile: [String: String]]
    /// How dates are written.
    public var dateOrder: DateOrder
    /// The separator, or nil to detect it per file.
    public var separator: UInt8?

    /// A canonical export folder: canonical file and column names, ISO dates.
    public init(directory: String, fileNames: [CanonicalFile: String] = [:], columns: [CanonicalFile: [String: String]] = [:],
                dateOrder: DateOrder = .iso, separator: UInt8? = nil) {
        self.directory = directory
        self.fileNames = fileNames
        self.columns = columns
        self.dateOrder = dateOrder
        self.separator = separator
    }

    /// The path of a canonical file.
    public func path(of file: CanonicalFile) -> String {
        directory + "/" + (fileNames[file] ?? file.fileName)
    }
}
