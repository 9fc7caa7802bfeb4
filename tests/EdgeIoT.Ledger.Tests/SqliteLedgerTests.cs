namespace EdgeIoT.Ledger.Tests;

public sealed class SqliteLedgerTests : LedgerStoreContract
{
    [Fact]
    public Task Batch_New_StoredOnce() => NewBatchIsStoredOnceAsync();

    [Fact]
    public Task Batch_Retried_AllDuplicates() => RetriedBatchIsCountedAsDuplicatesAsync();

    [Fact]
    public Task Batch_RepeatedEvent_CountedAsDuplicate() => RepeatWithinBatchIsCountedAsDuplicateAsync();

    [Fact]
    public Task Batch_LargeWithRepeatsAndDisputes_StoredOnce() => LargeBatchWithRepeatsAndDisputesIsStoredOnceAsync();

    [Fact]
    public Task Batch_ConcurrentOverlappingRetries_EachEventOnce() => ConcurrentOverlappingRetriesStoreEachEventOnceAsync();

    [Fact]
    public Task Batch_InvalidEvents_ReportedAndGoodStored() => InvalidEventsAreReportedWhileGoodOnesAreStoredAsync();

    [Fact]
    public Task Batch_NulCharacter_EventRejected() => NulCharacterIsRejectedWhileOthersAreStoredAsync();

    [Fact]
    public Task Batch_AllInvalid_Returns422() => AllInvalidBatchIsRejectedWith422Async();

    [Fact]
    [Trait("Category", "Security")]
    public Task Disputes_EachKind_Detected() => EachDisputeKindIsDetectedAsync();

    [Fact]
    public Task Ledger_Restarted_KeepsDuplicateCount() => RestartKeepsEventsAndDuplicateCountAsync();

    protected override ILedgerTarget CreateTarget() => new SqliteTarget();
}
