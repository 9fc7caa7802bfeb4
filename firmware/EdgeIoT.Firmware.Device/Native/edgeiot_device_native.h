// nanoFramework interop declarations for the InternalCall methods of EdgeIoT.Firmware.Device.
// The class and method names follow the pattern nanoFramework's stub generator produces
// (Library_<assembly>_<namespace>_<class>::<method>___<return>__<argument types>).
// NOT BUILT in this repository: it needs the nf-interpreter sources and ESP-IDF.
#ifndef EDGEIOT_DEVICE_NATIVE_H
#define EDGEIOT_DEVICE_NATIVE_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>
#include <nanoPackStruct.h>

struct Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeEd25519Verifier
{
    NANOCLR_NATIVE_DECLARE(NativeVerify___STATIC__BOOLEAN__SZARRAY_U1__SZARRAY_U1__I4__SZARRAY_U1__I4);
};

struct Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeFlashPartition
{
    NANOCLR_NATIVE_DECLARE(MonotonicMicroseconds___STATIC__I8);
    NANOCLR_NATIVE_DECLARE(NativePartitionSize___STATIC__I4__STRING);
    NANOCLR_NATIVE_DECLARE(NativeRead___STATIC__VOID__STRING__I4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeWrite___STATIC__VOID__STRING__I4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeErase___STATIC__VOID__STRING__I4__I4);
};

struct Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeResetReason
{
    NANOCLR_NATIVE_DECLARE(NativeGetResetReason___STATIC__I4);
};

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_EdgeIoT_Firmware_Device;

#endif
