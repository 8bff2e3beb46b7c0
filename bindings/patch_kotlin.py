"""Two checked edits to the Kotlin UniFFI generates (run by generate.sh).

Each edit names the exact text it replaces; if UniFFI's output changes, the
script stops with an error instead of guessing, so an upgrade is looked at.

1. `Companion.open` (alongside.kt): in Kotlin, `Companion` is also the default
   name of a class's companion object, where UniFFI puts named constructors.
   Inside the class, the return type `Companion` would mean that object, so the
   class is named in full there.

2. Call statuses reused per thread (every generated file): UniFFI makes a new
   JNA Structure for each call's status, and JNA backs every Structure with
   native memory it tracks in a global map and frees only after a garbage
   collection, on one cleaner thread. That bookkeeping was most of the cost of
   a call (README, "For app developers": 28 µs for `today()`, 12 µs with this).
   A stack per thread, not one status: a call into Rust may call back into
   Kotlin (an observer), which may call Rust again on the same thread.
"""

import re
import sys

CALL_WITH_ERROR = """    var status = UniffiRustCallStatus()
    val return_value = callback(status)
    uniffiCheckCallStatus(errorHandler, status)
    return return_value
}
"""

CALL_WITH_REUSED_STATUS = """    val status = UniffiCallStatuses.take()
    try {
        val return_value = callback(status)
        uniffiCheckCallStatus(errorHandler, status)
        return return_value
    } finally {
        UniffiCallStatuses.give(status)
    }
}
"""

STATUS_STACK = """
// Added by bindings/patch_kotlin.py: call statuses kept per thread for reuse.
internal object UniffiCallStatuses {
    private val free = ThreadLocal.withInitial { ArrayList<UniffiRustCallStatus>(4) }

    fun take(): UniffiRustCallStatus {
        val stack = free.get()
        val status = if (stack.isEmpty()) UniffiRustCallStatus() else stack.removeAt(stack.size - 1)
        // Rust writes the status only when the call fails.
        status.code = UNIFFI_CALL_SUCCESS
        return status
    }

    fun give(status: UniffiRustCallStatus) {
        free.get().add(status)
    }
}
"""

OPEN = re.compile(r"^( *@Throws\(AlongsideException::class\) fun `open`\(.*\)): Companion \{$", re.M)


def replace_once(text: str, old: str, new: str, path: str, what: str) -> str:
    if text.count(old) != 1:
        sys.exit(f"patch_kotlin.py: {path}: {what} did not look as expected; check the patch")
    return text.replace(old, new)


def main() -> None:
    companion_file, *other_files = sys.argv[1:]
    for path in [companion_file, *other_files]:
        with open(path, encoding="utf-8") as file:
            text = file.read()
        text = replace_once(text, CALL_WITH_ERROR, CALL_WITH_REUSED_STATUS, path, "uniffiRustCallWithError") + STATUS_STACK
        if path == companion_file:
            text, count = OPEN.subn(r"\1: org.alongside.core.Companion {", text)
            if count != 1:
                sys.exit(f"patch_kotlin.py: {path}: Companion.open did not look as expected; check the patch")
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)


main()
