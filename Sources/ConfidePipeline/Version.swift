/// The version printed in reports and manifests.
public let confideVersion = "0.1.0"
