import ConfideAnonymity
import Testing

/// Each bad input is refused with its kind (exit code) and a message naming the file, the
/// column and the line, never a cell value.
struct BadInputTests {
    let scratch = Scratch()
    let hierarchy = "secretvalue;*\nother;*\n"

    private func refusal(_ body: () throws -> Void) -> AnonymityError? {
        do {
            try body()
            return nil
        } catch let error as AnonymityError {
            return error
        } catch {
            return nil
        }
    }

    private func problem(_ input: String, hierarchy: String? = nil, model: PrivacyModel = PrivacyModel(k: 1),
                         sensitive: String? = nil) throws {
        _ = try scratch.problem(input, hierarchies: ["q": hierarchy ?? self.hierarchy], sensitive: sensitive, model: model)
    }

    @Test func missingInputFile() {
        let error = refusal { _ = try InputTable(path: scratch.folder + "/absent.csv", encode: ["q"]) }
        #expect(error?.kind == .noInput)
        #expect(error?.message.contains("absent.csv") == true)
    }

    @Test func emptyFileAndHeaderOnly() {
        let empty = refusal { try problem("") }
        #expect(empty?.kind == .dataError && empty?.message.contains("empty") == true)
        let headerOnly = refusal { try problem("q;x\r\n") }
        #expect(headerOnly?.kind == .dataError && headerOnly?.message.contains("no records") == true)
    }

    @Test func duplicateColumnNames() {
        let error = refusal { try problem("q;x;q\nother;1;2\n") }
        #expect(error?.kind == .dataError)
        #expect(error?.message.contains("line 1") == true && error?.message.contains("columns 1 and 3") == true)
    }

    @Test func quasiIdentifierNotInTheHeader() {
        let error = refusal { try problem("x;y\n1;2\n") }
        #expect(error?.kind == .dataError && error?.message.contains("no column 'q'") == true)
    }

    @Test func valueMissingFromItsHierarchyNamesFileColumnAndLineNotTheValue() {
        let error = refusal { try problem("q;x\nother;1\nunknownvalue;2\n") }
        #expect(error?.kind == .dataError)
        let message = error?.message ?? ""
        #expect(message.contains("input.csv: line 3") && message.contains("'q'") && message.contains("h-q.csv"))
        #expect(!message.contains("unknownvalue"))
    }

    @Test func raggedHierarchyNamesColumnAndLine() {
        let error = refusal { try problem("q;x\nother;1\n", hierarchy: "secretvalue;A;*\nother;*\n") }
        #expect(error?.kind == .dataError)
        let message = error?.message ?? ""
        #expect(message.contains("h-q.csv") && message.contains("column 'q'") && message.contains("line 2"))
        #expect(!message.contains("secretvalue") && !message.contains("other;"))
    }

    @Test func hierarchyThatIsNotAHierarchy() {
        let error = refusal { try problem("q;x\nother;1\n", hierarchy: "a;A;*\nb;A;*\nc;B;X\nd;B;Y\n") }
        #expect(error?.kind == .dataError && error?.message.contains("line 4") == true)
    }

    @Test func raggedInputRecord() {
        let error = refusal { try problem("q;x\nother;1\nother;1;extra\n") }
        #expect(error?.kind == .dataError && error?.message.contains("line 3") == true)
    }

    @Test func unterminatedQuote() {
        let error = refusal { try problem("q;x\nother;\"open\n") }
        #expect(error?.kind == .dataError && error?.message.contains("line 2") == true)
    }

    @Test func kLargerThanTheRecordsAndLLargerThanTheSensitiveValues() {
        let k = refusal { try problem("q;x\nother;1\nother;2\n", model: PrivacyModel(k: 3)) }
        #expect(k?.kind == .dataError && k?.message.contains("k = 3") == true)
        let l = refusal {
            try problem("q;x\nother;1\nother;2\n", model: PrivacyModel(k: 1, diversity: Diversity(column: "x", l: 3, kind: .distinct)), sensitive: "x")
        }
        #expect(l?.kind == .dataError && l?.message.contains("l = 3") == true)
    }

    @Test func noSolutionSaysWhatWouldMakeOne() throws {
        // A hierarchy that cannot generalise (level 0 only): classes 3, 2 and 1 stay as they are.
        let input = "q\na\na\na\nb\nb\nc\n"
        let problem = try scratch.problem(input, hierarchies: ["q": "a\nb\nc\n"], model: PrivacyModel(k: 2))
        guard case .none(let none) = LatticeSearch.run(problem) else {
            Issue.record("expected no solution")
            return
        }
        #expect(none.smallestSuppressedRecords == 1)
        #expect(none.smallestSuppression == 0.1667) // floor(0.1667 × 6) = 1
        #expect(none.largestK == 1)
        let k3 = try scratch.problem(input, hierarchies: ["q": "a\nb\nc\n"], model: PrivacyModel(k: 3, maxSuppression: 0.5))
        guard case .none(let none3) = LatticeSearch.run(k3) else {
            // 3 of 6 may be suppressed: the classes of 2 and 1 go, k = 3 works.
            return
        }
        Issue.record("k = 3 with 50% suppression should work, got \(none3)")
    }

    @Test func outputThatCannotBeCreated() {
        let error = refusal { try GeneralisedOutput.checkCreatable(scratch.folder + "/no/such/folder/out.csv") }
        #expect(error?.kind == .cannotCreate)
        let folder = refusal { try GeneralisedOutput.checkCreatable(scratch.folder) }
        #expect(folder?.kind == .cannotCreate)
    }
}
