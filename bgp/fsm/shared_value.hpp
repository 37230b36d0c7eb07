#pragma once
// An immutable value that copies of one FsmState share. The FSM is a pure function that
// returns the next state by value, once per event, UPDATEs and KEEPALIVEs included; the
// OPENs and the negotiated parameters in the state change only during the OPEN exchange,
// so sharing them makes that copy a few reference counts instead of a dozen allocations.
// It reads like std::optional<T> (has_value, *, ->, reset, assignment from T) and
// compares by value, so the state still compares as a value in the FSM's tests.
#include <memory>
#include <utility>

namespace evpnd::bgp::fsm {

template <class T>
class SharedValue {
 public:
  SharedValue() = default;
  SharedValue(T v) : p_(std::make_shared<const T>(std::move(v))) {}  // NOLINT: reads like optional<T>

  [[nodiscard]] bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *p_; }
  const T* operator->() const { return p_.get(); }
  void reset() { p_.reset(); }

  friend bool operator==(const SharedValue& a, const SharedValue& b) {
    return a.p_ == b.p_ || (a.p_ && b.p_ && *a.p_ == *b.p_);
  }
  friend bool operator==(const SharedValue& a, const T& b) { return a.p_ && *a.p_ == b; }

 private:
  std::shared_ptr<const T> p_;
};

}  // namespace evpnd::bgp::fsm
