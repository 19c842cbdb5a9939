/* Compiled as C11 and as C++17 (ctest wdk.headers.*): the driver interface
 * headers are self-contained and warning-free in both languages, and the
 * macros work on the structures. */
#include <ndis.h>

static NDIS_STATUS CheckMacros(PNET_BUFFER_LIST nbl) {
  PNET_BUFFER nb = NET_BUFFER_LIST_FIRST_NB(nbl);
  ULONG length = NET_BUFFER_DATA_LENGTH(nb) + NET_BUFFER_DATA_OFFSET(nb);
  PMDL mdl = NET_BUFFER_FIRST_MDL(nb);
  if (mdl != NULL) length += MmGetMdlByteCount(mdl);
  PVOID context = NET_BUFFER_LIST_CONTEXT_DATA_START(nbl);
  (void)context;
  NET_BUFFER_LIST_INFO(nbl, TcpOffloadBytesTransferred) = (PVOID)(ULONG_PTR)length;
  NET_BUFFER_LIST_STATUS(nbl) = NDIS_STATUS_SUCCESS;
  return NET_BUFFER_LIST_NEXT_NBL(nbl) == NULL ? NDIS_STATUS_SUCCESS : NDIS_STATUS_PENDING;
}

int main(void) {
  NDIS_OBJECT_HEADER header = {NDIS_OBJECT_TYPE_DEFAULT, 1, sizeof(NDIS_OBJECT_HEADER)};
  NET_BUFFER nb;
  NET_BUFFER_LIST nbl;
  NET_BUFFER_LIST_CONTEXT ctx;
  UCHAR data[16];
  NdisZeroMemory(&nb, sizeof(nb));
  NdisZeroMemory(&nbl, sizeof(nbl));
  ctx.Next = NULL;
  ctx.Size = sizeof(data);
  ctx.Offset = 8;
  ctx.ContextData = data;
  nbl.FirstNetBuffer = &nb;
  nbl.Context = &ctx;
  (void)header;
  return CheckMacros(&nbl) == NDIS_STATUS_SUCCESS && NDIS_STATUS_UPLOAD_IN_PROGRESS < 0 ? 0 : 1;
}
