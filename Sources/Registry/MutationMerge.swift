extension Mutation {
    /// This mutation followed by `later`: rows with the same key (citizen and account by ID number,
    /// card by ID number and date of issue) take `later`'s version; events are appended in order.
    func followed(by later: Mutation) -> Mutation {
        func merge<T>(_ a: [T], _ b: [T], key: (T) -> String) -> [T] {
            let replaced = Set(b.map(key))
            return a.filter { !replaced.contains(key($0)) } + b
        }
        return Mutation(citizens: merge(citizens, later.citizens) { $0.idNumber },
                        cards: merge(cards, later.cards) { $0.idNumber + "/" + $0.dateOfIssue },
                        accounts: merge(accounts, later.accounts) { $0.idNumber },
                        events: events + later.events)
    }
}

// `Snapshot.applying(_:)` (SyncStore.swift) gives the snapshot after a mutation is written.
