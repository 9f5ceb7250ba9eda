//! Slots of a slab in the order they were last used, to find the least recently used one in
//! constant time: a doubly linked list threaded through the slot numbers, so that marking a
//! slot used on every event costs two index updates and no allocation or hashing.

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
}
