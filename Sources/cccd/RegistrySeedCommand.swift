import ArgumentParser
import Foundation
import Registry

/// `cccd registry seed`: a synthetic province for demos and benchmarks.
struct RegistrySeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Create a synthetic province: citizens with valid ID numbers, handed-over cards and VNeID accounts.",
        discussion: "Deterministic for a given --seed. Existing records are kept (rows already present are skipped).")

    @Option(help: "3-digit province code (035: Hà Nam).")
    var province = "035"

    @Option(help: "How many citizens.")
    var citizens = 754_277

    @Option(name: .customLong("vneid-active"), help: "Fraction of citizens with an active VNeID account.")
    var vneidActive = 0.668

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    @Option(help: "Citizens per transaction.")
    var batch = 20_000

    @OptionGroup var storeOption: StoreOption

    @Flag(help: "Print a JSON summary.")
    var json = false

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
    }

    struct Summary: Encodable { var province: String; var citizens: Int; var inserted: Int; var seconds: Double }

    func run() async throws {
        try await RegistryCLI.run(json: json) {
            let generator = try SyntheticProvince(province: province, citizens: citizens, vneidActive: vneidActive, seed: seed)
            let device = StoreOpener.device
            let start = Date()
            let progress = StatusLine(enabled: !json)
            let now = Date()
            var inserted = 0
            var seconds = 0.0
            try await storeOption.withStore { store in
                // Citizens in ID-number order (the tables' key order), generated one batch ahead
                // of the one being written.
                let order = generator.indicesInIDOrder()
                func generate(_ lower: Int) -> Task<Mutation, Never>? {
                    guard lower < order.count else { return nil }
                    let slice = order[lower..<min(order.count, lower + batch)]
                    return Task { generator.batch(indices: slice, now: now) }
                }
                var next = generate(0)
                var lower = 0
                while let pending = next {
                    let m = await pending.value
                    lower = min(order.count, lower + batch)
                    next = generate(lower)
                    inserted += try await store.bulkInsert(m, device: device)
                    progress.message("seeding \(province): \(lower)/\(citizens) citizens")
                }
                progress.finish()
                seconds = Date().timeIntervalSince(start)
                let total = inserted
                try await store.transact(ids: [], device: device) { _ in
                    (Mutation(events: [EventDraft(at: Date(), kind: .seed, operator: storeOption.operatorID, body: [
                        "province": .string(province), "citizens": .int(citizens), "inserted": .int(total),
                        "vneidActivePerMille": .int(Int((vneidActive * 1000).rounded())), "seed": .string(String(seed))])]), ())
                }
            }
            let summary = Summary(province: province, citizens: citizens, inserted: inserted, seconds: (seconds * 100).rounded() / 100)
            if json { Output(json: true).printJSON(summary) } else {
                print("seeded province \(province): \(inserted) of \(citizens) citizens inserted in \(String(format: "%.1f", seconds)) s")
            }
        }
    }
}
