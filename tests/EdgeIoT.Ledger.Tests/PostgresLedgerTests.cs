namespace EdgeIoT.Ledger.Tests;

public sealed class PostgresLedgerTests : LedgerStoreContract
{
    [PostgresFact]
    public Task Batch_New_StoredOnce() => NewBatchIsStoredOnceAsync();

    [PostgresFact]
    public Task Batch_Retried_AllDuplicates() => RetriedBatchIsCountedAsDuplicatesAsync();

    [PostgresFact]
    public Task Batch_RepeatedEvent_CountedAsDuplicate() => RepeatWithinBatchIsCountedAsDuplicateAsync();

    [PostgresFact]
    public Task Batch_LargeWithRepeatsAndDisputes_StoredOnce() => LargeBatchWithRepeatsAndDisputesIsStoredOnceAsync();

    [PostgresFact]
    public Task Batch_ConcurrentOverlappingRetries_EachEventOnce() => ConcurrentOverlappingRetriesStoreEachEventOnceAsync();

    [PostgresFact]
    public Task Batch_InvalidEvents_ReportedAndGoodStored() => InvalidEventsAreReportedWhileGoodOnesAreStoredAsync();

    [PostgresFact]
    public Task Batch_NulCharacter_EventRejected() => NulCharacterIsRejectedWhileOthersAreStoredAsync();

    [PostgresFact]
    public Task Batch_AllInvalid_Returns422() => AllInvalidBatchIsRejectedWith422Async();

    [PostgresFact]
    public Task Disputes_EachKind_Detected() => EachDisputeKindIsDetectedAsync();

    [PostgresFact]
    public Task Ledger_Restarted_KeepsDuplicateCount() => RestartKeepsEventsAndDuplicateCountAsync();

    protected override ILedgerTarget CreateTarget() => new PostgresTarget();
}
