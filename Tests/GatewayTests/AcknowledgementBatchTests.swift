import MQTT
import Testing

/// When held PUBACKs leave: once nothing more of the backlog is in memory, every `flushEvery`
/// messages, and at once after something was published.
@Suite struct AcknowledgementBatchTests {
    @Test func heldWhileMoreOfTheBacklogIsInMemory() {
        var batch = AcknowledgementBatch(flushEvery: 4)
        let letGo = [
            batch.letGo(moreBuffered: true, received: 1, published: 0),
            batch.letGo(moreBuffered: true, received: 2, published: 0),
            // The read's last message: everything goes before the socket is read again.
            batch.letGo(moreBuffered: false, received: 3, published: 0),
            // A message alone, or a round that read nothing, is never held.
            batch.letGo(moreBuffered: false, received: 4, published: 0),
            batch.letGo(moreBuffered: false, received: 4, published: 0),
        ]
        #expect(letGo == [false, false, true, true, true])
    }

    @Test func everyFlushEveryMessagesTheBrokersWindowMoves() {
        var batch = AcknowledgementBatch(flushEvery: 4)
        let letGo = (1...12).map { batch.letGo(moreBuffered: true, received: $0, published: 0) }
        #expect(letGo == [false, false, false, true, false, false, false, true, false, false, false, true])
    }

    @Test func somethingPublishedIsNeverHeldBack() {
        var batch = AcknowledgementBatch(flushEvery: 100)
        let letGo = [
            batch.letGo(moreBuffered: true, received: 1, published: 0),
            // An alert was published in this round: it leaves with the PUBACKs before it.
            batch.letGo(moreBuffered: true, received: 2, published: 1),
            batch.letGo(moreBuffered: true, received: 3, published: 1),
            // Published from another thread meanwhile: it leaves after this round.
            batch.letGo(moreBuffered: true, received: 4, published: 2),
        ]
        #expect(letGo == [false, true, false, true])
    }
}
