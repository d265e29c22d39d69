# The whole history before it leaves the machine.
roadlint_pre_push() {
  if command -v roadlint >/dev/null 2>&1; then
    roadlint check </dev/null || return 1
    return 0
  fi
  roadlint_missing warn
  return 0
}
roadlint_pre_push || exit 1
