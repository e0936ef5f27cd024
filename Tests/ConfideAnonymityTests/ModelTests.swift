import ConfideAnonymity
import Testing

/// Small hand-made cases: the suppression rule, l-diversity, ties, the output's rows.
struct ModelTests {
    let binary = "a;*\nb;*\n"

    @Test func failingClassesAreSuppressedWithinTheLimitOnly() throws {
        // Classes at level 0: (a) × 3, (b) × 1. k = 2: the lone b is suppressed when 1 of 4 may be.
        let input = "q;other\na;1\na;2\na;3\nb;4\n"
        let scratch = Scratch()
        let allowed = try scratch.problem(input, hierarchies: ["q": binary], model: PrivacyModel(k: 2, maxSuppression: 0.25))
        let solution = try #require(Scratch.solution(allowed))
        #expect(solution.levels == [0])
        #expect(solution.statistics.suppressed == 1 && solution.statistics.classes == 1 && solution.statistics.smallestClass == 3)
        // floor(0.24 × 4) = 0: the record cannot be suppressed, so q is generalised to *.
        let tight = try scratch.problem(input, hierarchies: ["q": binary], model: PrivacyModel(k: 2, maxSuppression: 0.24))
        let generalised = try #require(Scratch.solution(tight))
        #expect(generalised.levels == [1])
        #expect(generalised.statistics.suppressed == 0 && generalised.statistics.classes == 1)
    }

    @Test func suppressionAllowanceIsTheFloorOfTheLimitTimesTheRecords() {
        #expect(PrivacyModel(k: 1, maxSuppression: 0.04).suppressionAllowance(records: 30162) == 1206)
        #expect(PrivacyModel(k: 1, maxSuppression: 0.05).suppressionAllowance(records: 30162) == 1508)
        #expect(PrivacyModel(k: 1, maxSuppression: 0.29).suppressionAllowance(records: 100) == 29)
        #expect(PrivacyModel(k: 1, maxSuppression: 0).suppressionAllowance(records: 100) == 0)
    }

    @Test func distinctAndEntropyLDiversity() throws {
        // Class x has sensitive values u,u,v,v (entropy exactly ln 2); class y has u,u,u,v
        // (2 distinct, entropy below ln 2).
        let input = "q;s\nx;u\nx;u\nx;v\nx;v\ny;u\ny;u\ny;u\ny;v\n"
        let hierarchy = "x;*\ny;*\n"
        let scratch = Scratch()
        let distinct = try scratch.problem(input, hierarchies: ["q": hierarchy], sensitive: "s",
                                           model: PrivacyModel(k: 2, diversity: Diversity(column: "s", l: 2, kind: .distinct)))
        #expect(try #require(Scratch.solution(distinct)).levels == [0])
        let entropy = try scratch.problem(input, hierarchies: ["q": hierarchy], sensitive: "s",
                                          model: PrivacyModel(k: 2, diversity: Diversity(column: "s", l: 2, kind: .entropy), maxSuppression: 0.5))
        let solution = try #require(Scratch.solution(entropy))
        #expect(solution.levels == [0])
        #expect(solution.statistics.suppressed == 4) // class y fails entropy-2, class x passes at exactly ln 2
        // Without suppression nothing works: merged, u×5 v×3 has entropy 0.66 < ln 2.
        let noSuppression = try scratch.problem(input, hierarchies: ["q": hierarchy], sensitive: "s",
                                                model: PrivacyModel(k: 2, diversity: Diversity(column: "s", l: 2, kind: .entropy)))
        guard case .none(let none) = LatticeSearch.run(noSuppression) else {
            Issue.record("expected no solution")
            return
        }
        #expect(none.smallestSuppressedRecords == 4 && none.smallestSuppression == 0.5)
        #expect(none.largestK == nil)
    }

    @Test func tiesGoToFewerLevelsThenTheSmallerVector() throws {
        // Two symmetric columns: generalising either one gives the same loss; [0, 1] wins over [1, 0].
        let input = "a;b\nx;x\nx;y\ny;x\ny;y\nx;x\nx;y\ny;x\ny;y\n"
        let hierarchy = "x;*\ny;*\n"
        let scratch = Scratch()
        for metric in QualityMetric.allCases {
            let problem = try scratch.problem(input, hierarchies: ["a": hierarchy, "b": hierarchy], model: PrivacyModel(k: 4), metric: metric)
            let solution = try #require(Scratch.solution(problem))
            #expect(solution.levels == [0, 1], "\(metric)")
        }
    }

    @Test func outputKeepsRowOrderHeaderSeparatorAndOtherColumnsByteForByte() throws {
        let input = "id,q,note\r\n3,a,\"x, \"\"quoted\"\"\"\r\n1,b,plain\r\n2,a,\r\n"
        let scratch = Scratch()
        let problem = try scratch.problem(input, hierarchies: ["q": "a,*\nb,*\n"], model: PrivacyModel(k: 2, maxSuppression: 0.34))
        let solution = try #require(Scratch.solution(problem))
        let applied = AppliedTransformation(problem: problem, levels: solution.levels)
        let out = scratch.folder + "/out.csv"
        try GeneralisedOutput.write(GeneralisedOutput.render(applied), to: out)
        #expect(scratch.read("out.csv") == "id,q,note\r\n3,a,\"x, \"\"quoted\"\"\"\r\n1,*,plain\r\n2,a,\r\n")
    }

    @Test func risksOfSmallClasses() {
        let risk = ReidentificationRisk(classSizes: [1, 1, 2, 4])
        #expect(risk.records == 8 && risk.classes == 4)
        #expect(risk.prosecutorMax == 1 && risk.journalistMax == 1 && risk.recordsAtMax == 2)
        #expect(risk.prosecutorAverage == 0.5 && risk.marketer == 0.5)
        #expect(risk.sampleUniques == 0.25)
        #expect(ReidentificationRisk(classSizes: []).prosecutorMax == 0)
    }
}
