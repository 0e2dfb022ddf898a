import Foundation

/// A first-in first-out hand-over between two threads with room for `capacity` items: `put` waits
/// while it is full, `take` while it is empty. `close` ends it after what is in it; `cancel` ends it
/// at once for both sides (an error elsewhere), and `put` then returns false.
final class BoundedQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private let capacity: Int
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
    }

    /// False once the queue is cancelled (the item is dropped).
    @discardableResult
    func put(_ item: Item) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item; nil when the queue was closed and is empty, or cancelled.
    func take() -> Item? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed && !cancelled { condition.wait() }
        guard !cancelled, !items.isEmpty else { return nil }
        // Removed at once: a taken frame must not stay referenced here (a few items: shifting is cheap).
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }

    func cancel() {
        condition.lock(); cancelled = true; items.removeAll(); condition.broadcast(); condition.unlock()
    }
}

/// The first error of several threads.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?

    func set(_ error: Error) {
        lock.lock(); if first == nil { first = error }; lock.unlock()
    }

    var error: Error? { lock.lock(); defer { lock.unlock() }; return first }
}

/// Hands a value that is not `Sendable` to the one thread that will use it.
struct Unshared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
