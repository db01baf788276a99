pub mod trains_page;
