//! The colour a track wears on every page: one of a small palette, so that
//! badges stay legible; a track that picks none takes one by its position.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrackColour {
    Sky,
    Violet,
    Rose,
    Amber,
    Emerald,
    Slate,
}

impl TrackColour {
    pub const ALL: [Self; 6] = [
        Self::Sky,
        Self::Violet,
        Self::Rose,
        Self::Amber,
        Self::Emerald,
        Self::Slate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sky => "sky",
            Self::Violet => "violet",
            Self::Rose => "rose",
            Self::Amber => "amber",
            Self::Emerald => "emerald",
            Self::Slate => "slate",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
                format!("{raw:?} is not one of {}", names.join(", "))
            })
    }

    /// The colour of the track at `index` in the calendar's order, for a
    /// track that picked none.
    pub fn by_position(index: usize) -> Self {
        Self::ALL[index % Self::ALL.len()]
    }
}

impl fmt::Display for TrackColour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_colour_parses_back_and_a_stranger_hears_the_palette() {
        for c in TrackColour::ALL {
            assert_eq!(TrackColour::parse(c.as_str()), Ok(c));
        }
        let e = TrackColour::parse("red").unwrap_err();
        assert!(
            e.contains("sky, violet, rose, amber, emerald, slate"),
            "{e}"
        );
        assert_eq!(TrackColour::by_position(7), TrackColour::Violet);
    }
}
