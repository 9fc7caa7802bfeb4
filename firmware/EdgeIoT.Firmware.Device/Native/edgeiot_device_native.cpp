// Method table of the interop module, registered with the nanoCLR by assembly name.
#include "edgeiot_device_native.h"

// The order must match the order of the InternalCall methods in the managed assembly's
// metadata, and the stub generator writes that order out. A NULL entry is a method without
// native code.
static const CLR_RT_MethodHandler method_lookup[] = {
    Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeEd25519Verifier::
        NativeVerify___STATIC__BOOLEAN__SZARRAY_U1__SZARRAY_U1__I4__SZARRAY_U1__I4,
    Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeFlashPartition::MonotonicMicroseconds___STATIC__I8,
    Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeFlashPartition::NativePartitionSize___STATIC__I4__STRING,
    Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeFlashPartition::
        NativeRead___STATIC__VOID__STRING__I4__SZARRAY_U1__I4__I4,
    Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeFlashPartition::
        NativeWrite___STATIC__VOID__STRING__I4__SZARRAY_U1__I4__I4,
    Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeFlashPartition::NativeErase___STATIC__VOID__STRING__I4__I4,
    Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeResetReason::NativeGetResetReason___STATIC__I4,
};

// NOTE: the checksum is a placeholder. The nanoFramework build of EdgeIoT.Firmware.Device
// with "Generate stub files" on prints the real one, and the nanoCLR refuses to bind the
// module while they differ.
const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_EdgeIoT_Firmware_Device = {
    "EdgeIoT.Firmware.Device",
    0x00000000,
    method_lookup,
    {1, 0, 0, 0},
};
