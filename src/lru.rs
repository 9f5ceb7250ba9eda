//! Slots of a slab in the order they were last used, to find the least recently used one in
//! constant time: a doubly linked list threaded through the slot numbers, so that marking a
//! slot used on every event costs two index updates and no allocation or hashing.
//! [`Sessions`] is the slab the orderer and the live sessions both keep their sessions in.

use std::collections::HashMap;

const NIL: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Link {
    prev: u32,
    next: u32,
    linked: bool,
}

const UNLINKED: Link = Link {
    prev: NIL,
    next: NIL,
    linked: false,
};

/// The order of last use of slots `0..n`.
#[derive(Debug)]
pub(crate) struct Lru {
    links: Vec<Link>,
    /// Least recently used.
    head: u32,
    /// Most recently used.
    tail: u32,
}

impl Default for Lru {
    fn default() -> Self {
        Lru {
            links: Vec::new(),
            head: NIL,
            tail: NIL,
        }
    }
}

impl Lru {
    /// Slot `i` was just used (it is added if it was not in the order).
    pub fn touch(&mut self, i: usize) {
        if self.tail as usize == i {
            return;
        }
        if i >= self.links.len() {
            self.links.resize(i + 1, UNLINKED);
        }
        self.remove(i);
        let i32 = i as u32;
        self.links[i] = Link {
            prev: self.tail,
            next: NIL,
            linked: true,
        };
        match self.tail {
            NIL => self.head = i32,
            t => self.links[t as usize].next = i32,
        }
        self.tail = i32;
    }

    /// Slot `i` leaves the order.
    pub fn remove(&mut self, i: usize) {
        let Some(&Link { prev, next, linked }) = self.links.get(i) else {
            return;
        };
        if !linked {
            return;
        }
        match prev {
            NIL => self.head = next,
            p => self.links[p as usize].next = next,
        }
        match next {
            NIL => self.tail = prev,
            n => self.links[n as usize].prev = prev,
        }
        self.links[i] = UNLINKED;
    }

    /// The least recently used slot.
    pub fn oldest(&self) -> Option<usize> {
        (self.head != NIL).then_some(self.head as usize)
    }

    /// Every slot leaves the order.
    pub fn clear(&mut self) {
        self.links.clear();
        self.head = NIL;
        self.tail = NIL;
    }
}

/// Per-session values keyed by session id, in stable slots, in order of last use.
#[derive(Debug)]
pub(crate) struct Sessions<V> {
    slots: Vec<Option<(Option<String>, V)>>,
    free: Vec<usize>,
    /// foldhash, seeded per process: SipHash cost 4% of reading CloudWatch events, and the
    /// index holds at most `MAX_SESSIONS` ids, so even keys made to collide cost little.
    index: HashMap<Option<String>, usize, foldhash::fast::RandomState>,
    lru: Lru,
}

impl<V> Default for Sessions<V> {
    fn default() -> Self {
        Sessions {
            slots: Vec::new(),
            free: Vec::new(),
            index: HashMap::default(),
            lru: Lru::default(),
        }
    }
}

impl<V> Sessions<V> {
    /// How many sessions are held.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// The slot of session `id`, if it is held.
    pub fn slot_of(&self, id: &Option<String>) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Hold `value` for session `id` (not held yet), as the one used last; returns its slot.
    pub fn insert(&mut self, id: Option<String>, value: V) -> usize {
        let entry = Some((id.clone(), value));
        let i = match self.free.pop() {
            Some(i) => {
                self.slots[i] = entry;
                i
            }
            None => {
                self.slots.push(entry);
                self.slots.len() - 1
            }
        };
        self.index.insert(id, i);
        self.lru.touch(i);
        i
    }

    /// The value in slot `i`, marked used now.
    pub fn touch(&mut self, i: usize) -> Option<&mut V> {
        self.lru.touch(i);
        self.get_mut(i)
    }

    /// The value in slot `i`, and its session id.
    pub fn get(&self, i: usize) -> Option<(&Option<String>, &V)> {
        self.slots.get(i)?.as_ref().map(|(id, v)| (id, v))
    }

    /// The value in slot `i`.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut V> {
        self.slots.get_mut(i)?.as_mut().map(|(_, v)| v)
    }

    /// The slot used least recently.
    pub fn oldest(&self) -> Option<usize> {
        self.lru.oldest()
    }

    /// Stop holding the session in slot `i`: its id and value.
    pub fn remove(&mut self, i: usize) -> Option<(Option<String>, V)> {
        let (id, v) = self.slots.get_mut(i)?.take()?;
        self.lru.remove(i);
        self.free.push(i);
        self.index.remove(&id);
        Some((id, v))
    }

    /// Every value held, in slot order; nothing is held after.
    pub fn drain(&mut self) -> Vec<V> {
        self.free.clear();
        self.index.clear();
        self.lru.clear();
        self.slots.drain(..).flatten().map(|(_, v)| v).collect()
    }

    /// The values held.
    #[cfg(test)]
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.slots.iter().flatten().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Against a plain list of slots in order of use.
        #[test]
        fn same_order_as_a_list(ops in prop::collection::vec((0usize..12, any::<bool>()), 0..200)) {
            let mut lru = Lru::default();
            let mut model: Vec<usize> = Vec::new();
            for (i, touch) in ops {
                model.retain(|&x| x != i);
                if touch {
                    model.push(i);
                    lru.touch(i);
                } else {
                    lru.remove(i);
                }
                prop_assert_eq!(lru.oldest(), model.first().copied());
            }
            // Draining from the oldest gives the whole order.
            let mut drained = Vec::new();
            while let Some(i) = lru.oldest() {
                drained.push(i);
                lru.remove(i);
            }
            prop_assert_eq!(drained, model);
        }
    }

    #[test]
    fn sessions_keep_their_slots_and_reuse_freed_ones() {
        let mut s: Sessions<u32> = Sessions::default();
        let a = s.insert(Some("a".into()), 1);
        let b = s.insert(Some("b".into()), 2);
        s.touch(a);
        assert_eq!(s.oldest(), Some(b));
        assert_eq!(s.remove(b), Some((Some("b".into()), 2)));
        assert_eq!((s.slot_of(&Some("b".into())), s.len()), (None, 1));
        let c = s.insert(None, 3);
        assert_eq!(c, b, "the freed slot is used again");
        s.touch(c);
        assert_eq!(s.oldest(), Some(a));
        assert_eq!(s.drain(), [1, 3]);
        assert_eq!((s.len(), s.oldest()), (0, None));
    }
}
