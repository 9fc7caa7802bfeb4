// InternalCall of NativeEd25519Verifier.NativeVerify(publicKey, message, messageLength,
// signature, signatureOffset): checks the managed arguments, then calls the plain C verify.
#include "edgeiot_device_native.h"
#include "edgeiot_ed25519.h"

typedef Library_edgeiot_device_native_EdgeIoT_Firmware_Device_NativeEd25519Verifier Verifier;

HRESULT Verifier::NativeVerify___STATIC__BOOLEAN__SZARRAY_U1__SZARRAY_U1__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    CLR_RT_HeapBlock_Array *publicKey = stack.Arg0().DereferenceArray();
    CLR_RT_HeapBlock_Array *message = stack.Arg1().DereferenceArray();
    int32_t messageLength = stack.Arg2().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *signature = stack.Arg3().DereferenceArray();
    int32_t signatureOffset = stack.Arg4().NumericByRef().s4;
    FAULT_ON_NULL_ARG(publicKey);
    FAULT_ON_NULL_ARG(message);
    FAULT_ON_NULL_ARG(signature);

    // The managed wrapper checks these too; a wrong length here must never read past an array.
    if (publicKey->m_numOfElements != EDGEIOT_ED25519_PUBLIC_KEY_BYTES || messageLength < 0
        || (CLR_UINT32)messageLength > message->m_numOfElements || signatureOffset < 0
        || (CLR_UINT32)signatureOffset + EDGEIOT_ED25519_SIGNATURE_BYTES > signature->m_numOfElements)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
    }

    {
        int result = edgeiot_ed25519_verify(
            publicKey->GetFirstElement(),
            message->GetFirstElement(),
            (size_t)messageLength,
            signature->GetFirstElement() + signatureOffset);
        if (result < 0)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_FAIL);
        }

        stack.SetResult_Boolean(result == 1);
    }

    NANOCLR_NOCLEANUP();
}
