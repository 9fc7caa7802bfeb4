// InternalCalls of NativeFlashPartition (esp_partition_* on a data partition named by its
// label, esp_timer_get_time) and NativeResetReason (esp_reset_reason).
#include "edgeiot_device_native.h"

#include <esp_partition.h>
#include <esp_system.h>
#include <esp_timer.h>

typedef Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeFlashPartition Partition;
typedef Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeResetReason Reset;

// Data partitions of the EdgeIoT partition table; the subtype is not checked, the label is.
static const esp_partition_t *FindPartition(const char *label)
{
    return esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, label);
}

static HRESULT CheckRange(const esp_partition_t *partition, int32_t offset, int32_t count)
{
    if (partition == NULL)
    {
        return CLR_E_INVALID_OPERATION;
    }

    if (offset < 0 || count < 0 || (uint32_t)offset + (uint32_t)count > partition->size)
    {
        return CLR_E_INDEX_OUT_OF_RANGE;
    }

    return S_OK;
}

HRESULT Partition::MonotonicMicroseconds___STATIC__I8(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    stack.SetResult_I8(esp_timer_get_time());
    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Partition::NativePartitionSize___STATIC__I4__STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    const char *label = stack.Arg0().RecoverString();
    FAULT_ON_NULL_ARG(label);
    {
        const esp_partition_t *partition = FindPartition(label);
        stack.SetResult_I4(partition == NULL ? 0 : (int32_t)partition->size);
    }

    NANOCLR_NOCLEANUP();
}

HRESULT Partition::NativeRead___STATIC__VOID__STRING__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    const char *label = stack.Arg0().RecoverString();
    int32_t offset = stack.Arg1().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *buffer = stack.Arg2().DereferenceArray();
    int32_t bufferOffset = stack.Arg3().NumericByRef().s4;
    int32_t count = stack.Arg4().NumericByRef().s4;
    FAULT_ON_NULL_ARG(label);
    FAULT_ON_NULL_ARG(buffer);
    if (bufferOffset < 0 || count < 0 || (uint32_t)bufferOffset + (uint32_t)count > buffer->m_numOfElements)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    }

    {
        const esp_partition_t *partition = FindPartition(label);
        NANOCLR_CHECK_HRESULT(CheckRange(partition, offset, count));
        if (esp_partition_read(partition, offset, buffer->GetFirstElement() + bufferOffset, count) != ESP_OK)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_FAIL);
        }
    }

    NANOCLR_NOCLEANUP();
}

HRESULT Partition::NativeWrite___STATIC__VOID__STRING__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    const char *label = stack.Arg0().RecoverString();
    int32_t offset = stack.Arg1().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *buffer = stack.Arg2().DereferenceArray();
    int32_t bufferOffset = stack.Arg3().NumericByRef().s4;
    int32_t count = stack.Arg4().NumericByRef().s4;
    FAULT_ON_NULL_ARG(label);
    FAULT_ON_NULL_ARG(buffer);
    if (bufferOffset < 0 || count < 0 || (uint32_t)bufferOffset + (uint32_t)count > buffer->m_numOfElements)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    }

    {
        // esp_partition_write programs bits from 1 to 0 only, the NOR semantics the queue expects.
        const esp_partition_t *partition = FindPartition(label);
        NANOCLR_CHECK_HRESULT(CheckRange(partition, offset, count));
        if (esp_partition_write(partition, offset, buffer->GetFirstElement() + bufferOffset, count) != ESP_OK)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_FAIL);
        }
    }

    NANOCLR_NOCLEANUP();
}

HRESULT Partition::NativeErase___STATIC__VOID__STRING__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    const char *label = stack.Arg0().RecoverString();
    int32_t offset = stack.Arg1().NumericByRef().s4;
    int32_t length = stack.Arg2().NumericByRef().s4;
    FAULT_ON_NULL_ARG(label);
    {
        const esp_partition_t *partition = FindPartition(label);
        NANOCLR_CHECK_HRESULT(CheckRange(partition, offset, length));
        if (esp_partition_erase_range(partition, offset, length) != ESP_OK)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_FAIL);
        }
    }

    NANOCLR_NOCLEANUP();
}

HRESULT Reset::NativeGetResetReason___STATIC__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    // The raw esp_reset_reason_t value; NativeResetReason maps it to a status code.
    stack.SetResult_I4((int32_t)esp_reset_reason());

    NANOCLR_NOCLEANUP_NOLABEL();
}
