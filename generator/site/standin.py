"""A value that stands in for another: a template reads it as it would read the value itself."""
from __future__ import annotations

import operator


class StandIn:
    """Stands in for value() in everything a template does with a value: its attributes, items, length, truth, text,
    numbers, comparisons and sums. A subclass says what value() is (worked out later, or watched as it is read)."""

    __slots__ = ()

    def value(self):
        raise NotImplementedError

    def __getattr__(self, name):
        return getattr(self.value(), name)

    def __getitem__(self, key):
        return self.value()[key]

    def __iter__(self):
        return iter(self.value())

    def __reversed__(self):
        return reversed(self.value())

    def __len__(self):
        return len(self.value())

    def __contains__(self, item):
        return item in self.value()

    def __bool__(self):
        return bool(self.value())

    def __call__(self, *args, **kwargs):
        return self.value()(*args, **kwargs)

    def __str__(self):
        return str(self.value())

    def __format__(self, spec):
        return format(self.value(), spec)

    def __int__(self):
        return int(self.value())

    def __index__(self):
        return operator.index(self.value())

    def __float__(self):
        return float(self.value())

    def __hash__(self):
        return hash(self.value())

    def __eq__(self, other):
        return self.value() == itself(other)

    def __ne__(self, other):
        return self.value() != itself(other)

    def __lt__(self, other):
        return self.value() < itself(other)

    def __le__(self, other):
        return self.value() <= itself(other)

    def __gt__(self, other):
        return self.value() > itself(other)

    def __ge__(self, other):
        return self.value() >= itself(other)

    def __add__(self, other):
        return self.value() + itself(other)

    def __radd__(self, other):
        return itself(other) + self.value()

    def __sub__(self, other):
        return self.value() - itself(other)

    def __rsub__(self, other):
        return itself(other) - self.value()

    def __mul__(self, other):
        return self.value() * itself(other)

    def __rmul__(self, other):
        return itself(other) * self.value()

    def __truediv__(self, other):
        return self.value() / itself(other)

    def __floordiv__(self, other):
        return self.value() // itself(other)

    def __mod__(self, other):
        return self.value() % itself(other)

    def __neg__(self):
        return -self.value()


def itself(value):
    """The value a stand-in stands for; any other value as it is."""
    return value.value() if isinstance(value, StandIn) else value
