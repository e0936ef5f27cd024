import ConfideBench
import Foundation

/// The baselines of `bench/baselines/`, run on the same export folder: the `sqlite3` shell's
/// `.import` (a shell script) and the pandas, PipelineDP and OpenDP scripts, from a virtual
/// environment created from `requirements.txt` when it is missing. A baseline that cannot run
/// gives figures with `null` values and an error; the suite goes on.
struct PythonBaselines {
    /// The folder with the scripts and `requirements.txt`.
    let scripts: String
    /// The virtual environment.
    let venv: String
    /// Seconds after which a baseline is killed.
    let timeLimit: Double

    /// The environment's Python, after creating the environment if it is missing; or why there
    /// is none.
    func preparePython() -> Result<String, BenchError> {
        let python = venv + "/bin/python"
        if FileManager.default.isExecutableFile(atPath: python) { return .success(python) }
        guard let system = executableOnPath("python3") else { return .failure(BenchError("python3 is not on PATH")) }
        FileHandle.standardError.write(Data("confide-bench: creating \(venv) from \(scripts)/requirements.txt\n".utf8))
        do {
            let create = try spawnChild(system, ["-m", "venv", venv], captureOutput: true, timeLimit: 600)
            if let failure = create.failure { return .failure(BenchError("python3 -m venv \(venv): \(failure)")) }
            let install = try spawnChild(venv + "/bin/pip", ["install", "--quiet", "-r", scripts + "/requirements.txt"],
                                         captureOutput: true, timeLimit: 1800)
            if let failure = install.failure { return .failure(BenchError("pip install -r requirements.txt: \(failure)")) }
        } catch {
            return .failure(BenchError("\(error)"))
        }
        return .success(python)
    }

    /// `sqlite_import.sh EXPORTS`.
    func sqliteImport(_ exports: String) -> BaselineFigures {
        guard let bash = executableOnPath("bash") else { return BaselineFigures(isDP: false, error: "bash is not on PATH") }
        return run(bash, [scripts + "/sqlite_import.sh", exports], isDP: false)
    }

    /// `bench/ingest_floor.sh STORE` (beside the baselines' folder).
    func ingestFloor(_ store: String) -> BaselineFigures {
        guard let bash = executableOnPath("bash") else { return BaselineFigures(isDP: false, error: "bash is not on PATH") }
        return run(bash, [scripts + "/../ingest_floor.sh", store], isDP: false)
    }

    /// `pandas_metrics.py EXPORTS --week WEEK`.
    func pandas(_ exports: String, week: String, python: Result<String, BenchError>) -> BaselineFigures {
        script("pandas_metrics.py", [exports, "--week", week], python: python, isDP: false)
    }

    /// `pipelinedp_counts.py EXPORTS --epsilon ε`.
    func pipelineDP(_ exports: String, epsilon: String, python: Result<String, BenchError>) -> BaselineFigures {
        script("pipelinedp_counts.py", [exports, "--epsilon", epsilon], python: python, isDP: true)
    }

    /// `opendp_counts.py EXPORTS --epsilon ε`.
    func openDP(_ exports: String, epsilon: String, python: Result<String, BenchError>) -> BaselineFigures {
        script("opendp_counts.py", [exports, "--epsilon", epsilon], python: python, isDP: true)
    }

    private func script(_ name: String, _ arguments: [String], python: Result<String, BenchError>, isDP: Bool) -> BaselineFigures {
        switch python {
        case .success(let python): return run(python, [scripts + "/" + name] + arguments, isDP: isDP)
        case .failure(let error): return BaselineFigures(isDP: isDP, error: "no Python environment: \(error.description)")
        }
    }

    /// Runs one baseline and reads the JSON object it prints last.
    private func run(_ executable: String, _ arguments: [String], isDP: Bool) -> BaselineFigures {
        let child: ChildRun
        do {
            child = try spawnChild(executable, arguments, captureOutput: true, timeLimit: timeLimit)
        } catch {
            return BaselineFigures(isDP: isDP, error: "\(error)")
        }
        if let failure = child.failure { return BaselineFigures(isDP: isDP, error: failure) }
        guard let line = child.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return BaselineFigures(isDP: isDP, error: "no JSON report on standard output")
        }
        func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
        return BaselineFigures(
            isDP: isDP, seconds: number("seconds"), peakRSSMiB: number("peak_rss_mib") ?? child.peakRSSMiB,
            rowsPerSecond: number("rows_per_second"), readSeconds: number("read_seconds"),
            computeSeconds: number("compute_seconds") ?? number("dp_seconds"), countMAE: number("count_mae"),
            meanMAE: number("mean_mae"), version: object["version"].map { "\($0)" })
    }
}
