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

/* The offload target's structures and the keyword macro. */
static ULONG CheckTargetTypes(void) {
  NDIS_STRING keyword = NDIS_STRING_CONST("SqLog2Entries");
  NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS interrupt;
  NDIS_TIMER_CHARACTERISTICS timer;
  NDIS_PHYSICAL_ADDRESS bar;
  NdisZeroMemory(&interrupt, sizeof(interrupt));
  NdisZeroMemory(&timer, sizeof(timer));
  interrupt.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
  timer.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
  bar.QuadPart = CHIMNEY_CSR_BAR_BASE;
  return keyword.Length == 26 && keyword.Buffer[0] == 'S' && bar.QuadPart != 0 ? 0 : 1;
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
  return CheckMacros(&nbl) == NDIS_STATUS_SUCCESS && NDIS_STATUS_UPLOAD_IN_PROGRESS < 0 &&
                 CheckTargetTypes() == 0
             ? 0
             : 1;
}
